import { ownSession } from "./lib/backend.js";
import { createContext } from "./lib/create-context.js";
import { sealedBackend } from "./lib/sealed-backend.js";
import { parseOptions } from "./lib/settings.js";
import { authorizationOf, cookieHeaderOf, loadMeta } from "./lib/source.js";
import { storedBackend } from "./lib/stored-backend.js";
import type { SessionsOptions } from "./options.js";
import type { Session, SessionData } from "./session.js";

/**
 * What `load` reads the session cookie from: a Fetch `Request`, a `Headers`
 * object, or the raw `Cookie` header value (absent → no session).
 *
 * @example
 * ```ts
 * await sessions.load(request);                       // a Fetch Request
 * await sessions.load(req.headers.cookie);            // a Node IncomingMessage header
 * ```
 */
export type SessionSource = Request | Headers | string | null | undefined;

/**
 * Request metadata an adapter passes to `load`; kept in the record for
 * `listUserSessions` (stateful mode only). Never used for decisions.
 *
 * @example
 * ```ts
 * await sessions.load(request, { userAgent: request.headers.get("user-agent") ?? undefined, ip });
 * ```
 */
export interface LoadMeta {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

/**
 * One of a user's sessions, as shown on an "active sessions" page. `id` is the
 * session's public handle, the same value as `session.id` (a labelled SHA-256
 * of the store key): never a usable token, nor the store key.
 *
 * @example
 * ```ts
 * for (const s of await sessions.listUserSessions(userId)) console.log(s.id, s.userAgent, new Date(s.lastSeenAt));
 * ```
 */
export interface UserSessionInfo {
  /** The session's `session.id`; what `revokeUserSession` takes. */
  id: string;
  createdAt: number;
  lastSeenAt: number;
  authTime: number | undefined;
  expiresAt: number;
  userAgent: string | undefined;
  ip: string | undefined;
}

/**
 * Options of `revokeUser`.
 *
 * @example
 * ```ts
 * await sessions.revokeUser(userId, { except: session }); // log out everywhere else
 * ```
 */
export interface RevokeUserOptions<
  Data extends object = SessionData,
  Flash extends object = SessionData,
> {
  /** The session to keep, usually the current one (loaded by this manager). */
  except?: Session<Data, Flash>;
}

/**
 * Everything a response must carry after a commit. Adapters append each
 * `setCookie` value as its own `Set-Cookie` field and set every entry of
 * `headers` (lower-case names) on the response.
 *
 * @example
 * ```ts
 * const { setCookie, headers } = await sessions.commitHeaders(session);
 * for (const line of setCookie) res.append("set-cookie", line);
 * for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
 * ```
 */
export interface CommitResult {
  /**
   * `Set-Cookie` values, one header field each: never joined with ", ",
   * which would corrupt `Expires` dates (RFC 9110 §5.3); the same array
   * `commit` returns.
   */
  setCookie: string[];
  /**
   * `tokenMode: "authorization"` only: the token to hand to the client, when
   * this commit issued one (same as `session.bearerToken`). `setCookie` is
   * always empty in that mode.
   */
  token?: string;
  /**
   * Other response headers the session asks for, e.g. `clear-site-data` after
   * a logout when `clearSiteDataOnLogout` is on. Empty object when none.
   */
  headers: Record<string, string>;
}

/**
 * The session manager returned by {@link createSessions}.
 *
 * @example
 * ```ts
 * const session = await sessions.load(request);
 * const setCookie = await sessions.commit(session);
 * ```
 */
export interface Sessions<Data extends object = SessionData, Flash extends object = SessionData> {
  /** `"stateful"` with a store, `"stateless"` with sealed cookies. */
  readonly mode: "stateful" | "stateless";
  /** The session cookie's name. */
  readonly cookieName: string;
  /**
   * Where the token travels (the `tokenMode` option). Adapters read it to pass
   * `load` the `Authorization` header instead of the `Cookie` header.
   */
  readonly tokenMode: "cookie" | "authorization";
  /**
   * Reads the session named by the request's cookie. A missing, tampered,
   * malformed, unknown, expired or duplicated cookie yields a fresh session
   * (`session.rejected` and a `rejected` event say why); only a store outage
   * rejects (with the store's `StoreUnavailableError`).
   */
  load(source: SessionSource, meta?: LoadMeta): Promise<Session<Data, Flash>>;
  /**
   * Writes what changed and returns the `Set-Cookie` values to send, each as
   * its own header field. Empty when nothing needs sending. From the moment it
   * is called, every mutating method of `session` throws
   * `ERR_SESSION_COMMITTED`, since the headers carrying it are on their
   * way; reads keep working.
   */
  commit(session: Session<Data, Flash>): Promise<string[]>;
  /**
   * Same as `commit`, plus the other headers the response must carry
   * (`Clear-Site-Data` after logout). `commit` is this method's `setCookie`;
   * adapters should call this one and apply both.
   */
  commitHeaders(session: Session<Data, Flash>): Promise<CommitResult>;
  /** Live sessions of `userId`. Throws `ERR_SESSION_UNSUPPORTED` without a store user index. */
  listUserSessions(userId: string): Promise<UserSessionInfo[]>;
  /**
   * Deletes `userId`'s sessions (except one); resolves to how many. Throws
   * `ERR_SESSION_UNSUPPORTED` without a store user index. Stateless with
   * `revocationStore`: every cookie of the user authenticated before now is
   * refused from now on, including one a request still in flight re-seals
   * (that request's commit clears its cookie instead); resolves to 0. Call
   * it before committing the `except` session (`ERR_SESSION_COMMITTED`
   * otherwise).
   */
  revokeUser(userId: string, options?: RevokeUserOptions<Data, Flash>): Promise<number>;
  /**
   * Deletes one of `userId`'s sessions by its `UserSessionInfo.id` (equal to
   * that session's `session.id`); false when it is not theirs or gone.
   */
  revokeUserSession(userId: string, id: string): Promise<boolean>;
  /**
   * Retries the server-side revocations that failed earlier (a logout whose
   * store delete rejected) now, instead of waiting for the next request or
   * the background timer; resolves to how many are still owed. Useful before
   * shutdown and in tests.
   */
  retryPending(): Promise<number>;
}

/** W3C Clear-Site-Data §3.1: each type is a quoted string. */
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

/**
 * Creates a session manager. Without `store` it runs stateless (sealed
 * cookies); the `Session` API is identical in both modes. Options are
 * validated here and throw `SessionError` `ERR_SESSION_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { createSessions } from "@tessera/session";
 * import { createKeyring } from "@tessera/signing";
 * import { MemoryStore } from "@tessera/store";
 *
 * interface Data { cart: number[]; theme: "light" | "dark" }
 * const sessions = createSessions<Data>({
 *   keys: createKeyring([{ id: "k1", secret: process.env.SESSION_SECRET! }]),
 *   store: new MemoryStore(),
 * });
 * ```
 */
export function createSessions<
  Data extends object = SessionData,
  Flash extends object = SessionData,
>(options: SessionsOptions): Sessions<Data, Flash> {
  const settings = parseOptions(options);
  const { cookie, tokenMode, clearSiteData } = settings;
  // The one place the mode is decided; everything mode-specific goes through `backend`.
  const backend =
    settings.store === undefined
      ? sealedBackend(settings.revocationStore)
      : storedBackend(settings.store);
  const ctx = createContext(settings, backend);
  const { pending } = ctx;

  // A free function, not a method: adapters may hold `sessions.commit` detached.
  async function commitHeaders(session: Session<Data, Flash>): Promise<CommitResult> {
    const s = ownSession(session, ctx);
    // Synchronously, before any await: a change made while the write is in
    // flight could reach neither the store nor the cookie.
    if (s.state === "open") s.state = "committed";
    else if (s.state === "loggedOut") s.state = "loggedOutCommitted";
    pending.kick();
    const setCookie = await backend.commit(ctx, s);
    const headers: Record<string, string> = {};
    if (s.loggedOut && clearSiteData) headers["clear-site-data"] = CLEAR_SITE_DATA;
    if (tokenMode === "authorization") {
      // No cookie at all: the client holds the token and drops it on logout.
      const token = s.isNew ? undefined : s.bearerToken;
      return token === undefined ? { setCookie: [], headers } : { setCookie: [], headers, token };
    }
    return { setCookie, headers };
  }

  const readHeader = tokenMode === "authorization" ? authorizationOf : cookieHeaderOf;

  return {
    mode: backend.mode,
    cookieName: cookie.name,
    tokenMode,

    load(source, meta) {
      pending.kick();
      return backend.load<Data, Flash>(ctx, readHeader(source), loadMeta(source, meta, backend));
    },

    async commit(session) {
      return (await commitHeaders(session)).setCookie;
    },

    commitHeaders,

    async listUserSessions(userId) {
      return backend.listUserSessions(ctx, userId);
    },

    // Async like the rest: a bad argument rejects rather than throwing synchronously.
    async revokeUser(userId, revokeOptions = {}) {
      return backend.revokeUser(ctx, userId, revokeOptions.except);
    },

    retryPending: () => pending.flush(),

    async revokeUserSession(userId, id) {
      return backend.revokeUserSession(ctx, userId, id);
    },
  };
}
