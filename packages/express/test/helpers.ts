import { createSessions, type SessionsOptions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
import { FlakyStore as KitFlakyStore } from "../../../scripts/http-test-kit.js";

const OUTAGE = "connect ECONNREFUSED 10.1.2.3:6379 (redis://secret-host)";

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
  } as SessionsOptions);
}

/** MemoryStore behind the kit's `down` and `conflict` switches; its outage names a host. */
export class FlakyStore extends KitFlakyStore<MemoryStore> {
  constructor() {
    super(new MemoryStore(), () => new StoreUnavailableError(OUTAGE));
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
