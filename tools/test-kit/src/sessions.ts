import {
  createSessions,
  type Session,
  type Sessions,
  type SessionsOptions,
} from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
import { FlakyStore as SwitchedStore } from "../../../scripts/http-test-kit.js";

/** The session data of the adapters' test apps: a counter, a cart and a value large enough to chunk. */
export interface AppData {
  n: number;
  cart: number[];
  big: string;
  [key: string]: unknown;
}

/**
 * The flash messages of the adapters' test apps (a type, not an interface,
 * so it meets the `Record<string, unknown>` bound some adapters put on flash).
 */
export type AppFlash = { notice: string };

/** A manager of the test apps' data and flash types. */
export type AppSessions = Sessions<AppData, AppFlash>;

/** A session of {@link AppSessions}. */
export type AppSession = Session<AppData, AppFlash>;

/** A keyring of one random key, fresh for each test file. */
export const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);

/**
 * A session manager over a new MemoryStore with {@link keys}; `options`
 * override either (e.g. `{ store }` for a {@link FlakyStore}).
 *
 * @example
 * ```ts
 * const sessions = makeSessions({ clearSiteDataOnLogout: true });
 * const typed = makeSessions<{ user: string }>();
 * ```
 */
export function makeSessions<Data extends object = AppData, Flash extends object = AppFlash>(
  options: Partial<SessionsOptions> = {},
): Sessions<Data, Flash> {
  return createSessions<Data, Flash>({
    keys,
    store: new MemoryStore(),
    ...options,
  } as SessionsOptions);
}

/**
 * What an unreachable Redis says: it names a backend host, which no response
 * may show a client (OWASP Error Handling Cheat Sheet).
 */
export const OUTAGE = "connect ECONNREFUSED 10.1.2.3:6379 (redis://secret-host)";

/**
 * A MemoryStore behind the `down` and `conflict` switches of the repository's
 * HTTP test kit: while `down` every call fails with a StoreUnavailableError
 * saying {@link OUTAGE}; while `conflict` every versioned write loses the race.
 *
 * @example
 * ```ts
 * const store = new FlakyStore();
 * const sessions = makeSessions({ store });
 * store.down = true; // the next request answers 503
 * ```
 */
export class FlakyStore extends SwitchedStore<MemoryStore> {
  constructor() {
    super(new MemoryStore(), () => new StoreUnavailableError(OUTAGE));
  }
}
