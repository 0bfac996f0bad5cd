import type { Keyring } from "@tessera/signing";
import { type SessionStore, supportsUserIndex } from "@tessera/store";
import { SessionError } from "./errors.js";
import type { SessionEvent } from "./events.js";
import { BruteforceDetector } from "./lib/bruteforce.js";
import { commitStateful, commitStateless } from "./lib/commit.js";
import type { Context } from "./lib/context.js";
import {
  cookieHeaderLimit,
  DEFAULT_MAX_COOKIE_SIZE,
  MAX_MAX_COOKIE_SIZE,
  MAX_SIGNED_LENGTH,
  MIN_MAX_COOKIE_SIZE,
} from "./lib/limits.js";
import { loadStateful, loadStateless } from "./lib/load.js";
import { PendingRevocations } from "./lib/pending.js";
import { createPrimitives } from "./lib/primitives.js";
import type { SessionMeta } from "./lib/record.js";
import { revokeUserBefore } from "./lib/revocation.js";
import { SessionImpl } from "./lib/session-impl.js";
import { validateCookieSettings } from "./lib/set-cookie.js";
import { reportStoreError } from "./lib/store-call.js";
import { fromStored, isStoreEntry } from "./lib/stored.js";
import { checkUserId } from "./lib/user-id.js";
import type { BruteforceOptions, SessionsOptions } from "./options.js";
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
  /** `Set-Cookie` values, one header field each (AD-02); the same array `commit` returns. */
  setCookie: string[];
  /**
   * `tokenMode: "authorization"` only: the token to hand to the client, when
   * this commit issued one (same as `session.bearerToken`). `setCookie` is
   * always empty in that mode.
   */
  token?: string;
  /**
   * Other response headers the session asks for, e.g. `clear-site-data` after
   * a logout when `clearSiteDataOnLogout` is on (LC-06). Empty object when none.
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
   * `ERR_SESSION_COMMITTED` (AD-04); reads keep working.
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
   * shutdown and in tests (T-D13).
   */
  retryPending(): Promise<number>;
}

/** W3C Clear-Site-Data §3.1: each type is a quoted string. */
const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

const DEFAULTS = {
  idleTimeout: 1800,
  absoluteTimeout: 43_200,
  touchAfter: 60,
  maxRetries: 10,
  maxSize: 65_536,
  maxDepth: 32,
} as const;

function invalid(name: string, value: unknown, expected: string): never {
  let shown: string;
  try {
    shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    shown = typeof value;
  }
  throw new SessionError(
    "ERR_SESSION_INVALID_OPTION",
    `option ${name} is invalid: ${shown.slice(0, 80)} (expected ${expected})`,
  );
}

function seconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(name, value, `an integer number of seconds in ${min}..${max}`);
  }
  return value;
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    invalid(name, value, `an integer in ${min}..${max}`);
  }
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") invalid(name, value, "a boolean");
  return value;
}

function isStore(value: unknown): value is SessionStore {
  const s = value as Record<string, unknown> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.get === "function" &&
    typeof s.set === "function" &&
    typeof s.touch === "function" &&
    typeof s.delete === "function"
  );
}

/** `NODE_ENV` where a `process` global exists (Node, Bun, Deno's compat); never an import. */
function nodeEnv(): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    return typeof env?.NODE_ENV === "string" ? env.NODE_ENV : undefined;
  } catch {
    // Some sandboxes throw on access to process.env.
    return undefined;
  }
}

interface HeadersLike {
  get(name: string): string | null;
}

// Duck-typed rather than `instanceof`: Request/Headers may come from another
// realm or a polyfill, and some runtimes do not define the globals at all.
function headerOf(source: SessionSource): string {
  if (source === null || source === undefined) return "";
  if (typeof source === "string") return source;
  const headers: HeadersLike | undefined =
    typeof (source as HeadersLike).get === "function"
      ? (source as HeadersLike)
      : (source as { headers?: HeadersLike }).headers;
  return typeof headers?.get === "function" ? (headers.get("cookie") ?? "") : "";
}

function authorizationOf(source: SessionSource): string {
  if (source === null || source === undefined) return "";
  // A string is the header value itself, as adapters pass req.headers.authorization.
  if (typeof source === "string") return source;
  const headers: HeadersLike | undefined =
    typeof (source as HeadersLike).get === "function"
      ? (source as HeadersLike)
      : (source as { headers?: HeadersLike }).headers;
  return typeof headers?.get === "function" ? (headers.get("authorization") ?? "") : "";
}

function userAgentOf(source: SessionSource): string | undefined {
  const headers = (source as { headers?: HeadersLike } | null | undefined)?.headers;
  if (typeof source === "string" || typeof headers?.get !== "function") return undefined;
  return headers.get("user-agent") ?? undefined;
}

function internal(session: unknown, ctx: Context): SessionImpl<SessionData, SessionData> {
  if (!(session instanceof SessionImpl) || session.ctx !== ctx) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      "session was not loaded by this session manager",
    );
  }
  return session as SessionImpl<SessionData, SessionData>;
}

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
  if (typeof options !== "object" || options === null) invalid("options", options, "an object");
  const { keys, store } = options;
  if (typeof keys !== "object" || keys === null || typeof (keys as Keyring).has !== "function") {
    invalid("keys", keys, "a keyring from createKeyring()");
  }
  if ((keys as Keyring).primaryId === undefined) {
    invalid("keys", "(no secret)", "a keyring holding at least one secret");
  }
  if (store !== undefined && !isStore(store)) invalid("store", store, "a SessionStore");
  const idle = seconds("idleTimeout", options.idleTimeout, DEFAULTS.idleTimeout, 1, 34_560_000);
  const absolute = seconds(
    "absoluteTimeout",
    options.absoluteTimeout,
    DEFAULTS.absoluteTimeout,
    1,
    34_560_000,
  );
  const touchAfter = seconds("touchAfter", options.touchAfter, DEFAULTS.touchAfter, 0, 34_560_000);
  if (touchAfter >= idle) invalid("touchAfter", touchAfter, `less than idleTimeout (${idle})`);
  const maxRetries = integer("maxRetries", options.maxRetries, DEFAULTS.maxRetries, 0, 100);
  const maxSize = integer("maxSize", options.maxSize, DEFAULTS.maxSize, 256, 16_777_216);
  const maxDepth = integer("maxDepth", options.maxDepth, DEFAULTS.maxDepth, 1, 1000);
  const maxCookieSize = integer(
    "maxCookieSize",
    options.maxCookieSize,
    DEFAULT_MAX_COOKIE_SIZE,
    MIN_MAX_COOKIE_SIZE,
    MAX_MAX_COOKIE_SIZE,
  );
  const encryptAtRest = bool("encryptAtRest", options.encryptAtRest, false);
  if (encryptAtRest && store === undefined) {
    invalid("encryptAtRest", true, "only with a store (stateless cookies are always sealed)");
  }
  const saveUninitialized = bool("saveUninitialized", options.saveUninitialized, false);
  const maxSessionsPerUser =
    options.maxSessionsPerUser === undefined
      ? undefined
      : integer("maxSessionsPerUser", options.maxSessionsPerUser, 1, 1, 100_000);
  if (maxSessionsPerUser !== undefined && (store === undefined || !supportsUserIndex(store))) {
    invalid("maxSessionsPerUser", maxSessionsPerUser, "a store with the per-user index");
  }
  const sessionLimit = options.sessionLimit ?? "evict_oldest";
  if (sessionLimit !== "evict_oldest" && sessionLimit !== "reject") {
    invalid("sessionLimit", sessionLimit, '"evict_oldest" or "reject"');
  }
  const clearSiteData = bool("clearSiteDataOnLogout", options.clearSiteDataOnLogout, false);
  const binding = options.binding ?? "log";
  if (binding !== "off" && binding !== "log" && binding !== "revoke") {
    invalid("binding", binding, '"off", "log" or "revoke"');
  }
  const bf = options.bruteforce ?? {};
  if (bf !== false && (typeof bf !== "object" || bf === null)) {
    invalid("bruteforce", bf, "false or { threshold, window, maxTracked }");
  }
  const detector =
    bf === false
      ? undefined
      : new BruteforceDetector({
          threshold: integer("bruteforce.threshold", bf.threshold, 100, 1, 1_000_000),
          windowMs: seconds("bruteforce.window", bf.window, 60, 1, 86_400) * 1000,
          maxTracked: integer("bruteforce.maxTracked", bf.maxTracked, 1000, 1, 1_000_000),
        });
  const onBruteforce = options.onBruteforce;
  if (onBruteforce !== undefined && typeof onBruteforce !== "function") {
    invalid("onBruteforce", onBruteforce, "a function");
  }
  const tokenMode = options.tokenMode ?? "cookie";
  if (tokenMode !== "cookie" && tokenMode !== "authorization") {
    invalid("tokenMode", tokenMode, '"cookie" or "authorization"');
  }
  if (tokenMode === "authorization" && store === undefined) {
    invalid("tokenMode", tokenMode, '"cookie" in stateless mode (a sealed session is a cookie)');
  }
  const revocationStore = options.revocationStore;
  if (revocationStore !== undefined) {
    if (!isStore(revocationStore)) invalid("revocationStore", revocationStore, "a SessionStore");
    if (store !== undefined) {
      invalid(
        "revocationStore",
        "(a store)",
        "only in stateless mode (with a store, logout deletes the entry)",
      );
    }
  }
  const renewAfter =
    options.renewAfter === undefined
      ? undefined
      : seconds("renewAfter", options.renewAfter, 0, 1, 34_560_000);
  if (renewAfter !== undefined && store === undefined) {
    invalid(
      "renewAfter",
      renewAfter,
      "only with a store (a sealed cookie has no server state to forward)",
    );
  }
  const renewGrace = seconds("renewGrace", options.renewGrace, 60, 0, 3600);
  const now = options.now ?? Date.now;
  if (typeof now !== "function") invalid("now", now, "a function returning epoch milliseconds");
  const onEvent = options.onEvent;
  if (onEvent !== undefined && typeof onEvent !== "function")
    invalid("onEvent", onEvent, "a function");

  const c = options.cookie ?? {};
  if (typeof c !== "object" || c === null) invalid("cookie", c, "an object");
  const insecure = bool("cookie.insecureDevelopmentOnly", c.insecureDevelopmentOnly, false);
  if (insecure && nodeEnv() === "production") {
    invalid(
      "cookie.insecureDevelopmentOnly",
      true,
      "false when NODE_ENV is production (SECURITY decision 5)",
    );
  }
  const secure = bool("cookie.secure", c.secure, !insecure);
  if (!secure && !insecure) {
    invalid(
      "cookie.secure",
      false,
      "true; a non-Secure session cookie needs cookie.insecureDevelopmentOnly (T-A02)",
    );
  }
  const name = c.name ?? (secure ? "__Host-sid" : "sid");
  if (!secure && typeof name === "string" && /^__(host|secure|http)-/i.test(name)) {
    invalid(
      "cookie.name",
      name,
      "a name without a __Host-/__Secure-/__Http- prefix when not Secure",
    );
  }
  if (typeof name !== "string" || name.length === 0) invalid("cookie.name", name, "a cookie name");
  const sameSite = c.sameSite ?? "lax";
  if (sameSite !== "lax" && sameSite !== "strict") {
    invalid("cookie.sameSite", sameSite, '"lax" or "strict"');
  }
  const cookie = {
    name,
    sameSite,
    persistent: bool("cookie.persistent", c.persistent, false),
    path: c.path ?? "/",
    domain: c.domain,
    secure,
  };
  const writeSessionCookie = validateCookieSettings(cookie);
  if (
    store !== undefined &&
    tokenMode === "cookie" &&
    name.length + 1 + MAX_SIGNED_LENGTH > maxCookieSize
  ) {
    invalid(
      "cookie.name",
      name,
      `a name that leaves room for the signed value within maxCookieSize (${maxCookieSize})`,
    );
  }

  const emit = onEvent
    ? (event: SessionEvent) => {
        try {
          onEvent(event);
        } catch {
          // A failing audit sink must not turn into a failed request.
        }
      }
    : () => {};

  const pending = new PendingRevocations({
    maxPending: 10_000,
    minDelayMs: 1000,
    maxDelayMs: 60_000,
    onError: (key, error, operation) => reportStoreError(ctx, operation, error, key),
    onDone: (key) => emit({ type: "destroyed", at: now(), session: key, reason: "logout" }),
    // Bounded: past 10,000 owed deletes the oldest is left to its store TTL, and said so.
    onDropped: (key) =>
      emit({
        type: "store_error",
        at: now(),
        operation: "delete",
        session: key,
        error: "ERR_SESSION_RETRY_DROPPED",
      }),
  });

  const ctx: Context = {
    store: store as SessionStore | undefined,
    crypto: createPrimitives(keys as Keyring, name),
    cookie,
    writeSessionCookie,
    timeouts: { idleMs: idle * 1000, absoluteMs: absolute * 1000, touchAfterMs: touchAfter * 1000 },
    maxRetries,
    maxSize,
    maxCookieSize,
    cookieHeaderLimit: cookieHeaderLimit(maxCookieSize),
    maxDepth,
    encryptAtRest,
    saveUninitialized,
    maxSessionsPerUser,
    sessionLimit,
    binding,
    revocationStore,
    renewAfterMs: renewAfter === undefined ? undefined : renewAfter * 1000,
    renewGraceMs: renewGrace * 1000,
    pending,
    tokenMode,
    noteRejected(reason, ip, at) {
      const count = detector?.note(reason, ip, at);
      if (count === undefined || ip === undefined) return;
      const window = (bf as BruteforceOptions).window ?? 60;
      emit({ type: "bruteforce", at, ip, count, window });
      try {
        onBruteforce?.({ ip, count, window });
      } catch {
        // Like onEvent: a failing hook must not fail the request.
      }
    },
    now,
    emit,
    listening: onEvent !== undefined,
  };

  const stateful = ctx.store !== undefined;

  function userIndex(operation: string) {
    const s = ctx.store;
    if (s === undefined) {
      throw new SessionError(
        "ERR_SESSION_UNSUPPORTED",
        `${operation} needs a store: stateless sessions live only in cookies, so the server cannot list or revoke them (logout only clears the cookie; stolen copies stay valid until they expire)`,
      );
    }
    if (!supportsUserIndex(s)) {
      throw new SessionError(
        "ERR_SESSION_UNSUPPORTED",
        `${operation} needs a store with the per-user index (listByUser and deleteByUser); this store has none`,
      );
    }
    return s;
  }

  // A free function, not a method: adapters may hold `sessions.commit` detached.
  async function commitHeaders(session: Session<Data, Flash>): Promise<CommitResult> {
    const s = internal(session, ctx);
    // Synchronously, before any await: a change made while the write is in
    // flight could reach neither the store nor the cookie (AD-04).
    s.committed = true;
    pending.kick();
    const setCookie = await (stateful ? commitStateful(ctx, s) : commitStateless(ctx, s));
    const headers: Record<string, string> = {};
    if (s.loggedOut && clearSiteData) headers["clear-site-data"] = CLEAR_SITE_DATA;
    if (tokenMode === "authorization") {
      // No cookie at all: the client holds the token and drops it on logout.
      const token = s.isNew ? undefined : s.bearerToken;
      return token === undefined ? { setCookie: [], headers } : { setCookie: [], headers, token };
    }
    return { setCookie, headers };
  }

  return {
    mode: stateful ? "stateful" : "stateless",
    cookieName: name,
    tokenMode,

    load(source, meta) {
      pending.kick();
      const header = tokenMode === "authorization" ? authorizationOf(source) : headerOf(source);
      let clean: SessionMeta | undefined;
      if (meta === undefined) {
        const ua = stateful ? userAgentOf(source) : undefined;
        if (ua !== undefined) clean = { userAgent: ua };
      } else {
        // Only strings get in; one object, built without spreads (per-request path).
        const { userAgent, ip } = meta;
        clean = {};
        if (typeof userAgent === "string") clean.userAgent = userAgent;
        if (typeof ip === "string") clean.ip = ip;
      }
      return stateful
        ? loadStateful<Data, Flash>(ctx, header, clean)
        : loadStateless<Data, Flash>(ctx, header, clean);
    },

    async commit(session) {
      return (await commitHeaders(session)).setCookie;
    },

    commitHeaders,

    async listUserSessions(userId) {
      const s = userIndex("listUserSessions");
      checkUserId(userId);
      let rows: Awaited<ReturnType<typeof s.listByUser>>;
      try {
        rows = await s.listByUser(userId);
      } catch (error) {
        reportStoreError(ctx, "listByUser", error);
        throw error;
      }
      const out: UserSessionInfo[] = [];
      for (const row of rows) {
        const { key, entry } = row ?? {};
        // A row the store mangled is left out rather than shown with made-up instants.
        if (typeof key !== "string" || !isStoreEntry(entry)) continue;
        const record = await fromStored(ctx, key, entry.value, ctx.now());
        if (record === null || record.userId !== userId) continue;
        out.push({
          id: ctx.crypto.publicId(key),
          createdAt: record.createdAt,
          lastSeenAt: Math.max(record.lastSeenAt, entry.expiresAt - ctx.timeouts.idleMs),
          authTime: record.authTime,
          expiresAt: entry.expiresAt,
          userAgent: record.meta?.userAgent,
          ip: record.meta?.ip,
        });
      }
      return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },

    async revokeUser(userId, revokeOptions = {}) {
      if (!stateful && revocationStore !== undefined) {
        checkUserId(userId);
        const except =
          revokeOptions.except === undefined ? undefined : internal(revokeOptions.except, ctx);
        if (except?.committed) {
          // Its cookie is already on its way without keptAt: the user's own
          // session would be revoked with the others. Refused before any write.
          throw new SessionError(
            "ERR_SESSION_COMMITTED",
            "revokeUser's except session was already committed; call revokeUser before committing the session it keeps",
          );
        }
        const at = ctx.now();
        await revokeUserBefore(ctx, userId, at);
        if (except !== undefined && !except.isDestroyed) {
          // Only this session is kept: its commit re-seals it with keptAt,
          // while copies of its cookie taken before now stay revoked.
          except.record.keptAt = at;
          except.reissue = true;
        }
        // Sealed cookies cannot be counted: every one sealed before now is revoked.
        return 0;
      }
      const s = userIndex("revokeUser");
      checkUserId(userId);
      const except = revokeOptions.except;
      const exceptKey = except === undefined ? undefined : internal(except, ctx).key;
      try {
        return await s.deleteByUser(userId, exceptKey === undefined ? {} : { exceptKey });
      } catch (error) {
        reportStoreError(ctx, "deleteByUser", error);
        throw error;
      }
    },

    retryPending() {
      return pending.flush();
    },

    async revokeUserSession(userId, id) {
      const s = userIndex("revokeUserSession");
      checkUserId(userId);
      if (typeof id !== "string") return false;
      let rows: Awaited<ReturnType<typeof s.listByUser>>;
      try {
        rows = await s.listByUser(userId);
      } catch (error) {
        reportStoreError(ctx, "listByUser", error);
        throw error;
      }
      // Found by its public id among the user's own rows: another user's id, or a
      // store key passed as an id, names nothing.
      const row = rows.find((r) => typeof r?.key === "string" && ctx.crypto.publicId(r.key) === id);
      if (row === undefined) return false;
      const key = row.key;
      try {
        await s.delete(key);
      } catch (error) {
        reportStoreError(ctx, "delete", error, key);
        throw error;
      }
      ctx.emit({ type: "destroyed", at: ctx.now(), session: key, reason: "revoked" });
      return true;
    },
  };
}
