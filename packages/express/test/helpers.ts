import { createSessions, type SessionsOptions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, type SessionStore, StoreUnavailableError } from "@tessera/store";

export interface AppData {
  n: number;
  cart: number[];
  big: string;
  [key: string]: unknown;
}

declare module "../src/index.js" {
  interface Register {
    data: AppData;
    flash: { notice: string };
  }
}

export const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);

export function makeSessions(options: Partial<SessionsOptions> = {}) {
  return createSessions<AppData, { notice: string }>({
    keys,
    store: new MemoryStore(),
    ...options,
  });
}

/** A store whose every method rejects like an unreachable backend, while `down` is true. */
export class FlakyStore implements SessionStore {
  down = false;
  /** Versioned writes answer a conflict, as if another request always wrote first. */
  conflict = false;
  readonly inner = new MemoryStore();
  private check(): void {
    if (this.down) {
      throw new StoreUnavailableError("connect ECONNREFUSED 10.1.2.3:6379 (redis://secret-host)");
    }
  }
  async get(key: string) {
    this.check();
    return this.inner.get(key);
  }
  async set(...args: Parameters<SessionStore["set"]>) {
    this.check();
    if (this.conflict && args[2]?.expectVersion !== undefined) {
      return { ok: false, conflict: true } as const;
    }
    return this.inner.set(...args);
  }
  async touch(key: string, expiresAt: number) {
    this.check();
    return this.inner.touch(key, expiresAt);
  }
  async delete(key: string) {
    this.check();
    return this.inner.delete(key);
  }
}

export {
  close,
  cookieOf,
  listen,
  type Reply,
  rawRequest,
  send,
} from "../../../scripts/http-test-kit.js";
