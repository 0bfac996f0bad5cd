import type { Keyring } from "@tessera/signing";
import type { SessionStore } from "@tessera/store";
import type { BruteforceInfo, SessionEventListener } from "./events.js";

/**
 * Brute-force detection settings: guessed session ids are counted per IP
 * and reported, never blocked here (OWASP Session Management, "Session ID
 * Guessing and Brute Force Detection").
 *
 * @example
 * ```ts
 * const bruteforce: BruteforceOptions = { threshold: 20, window: 60 };
 * ```
 */
export interface BruteforceOptions {
  /** Guessed ids from one IP that trigger the event. @default 100 */
  threshold?: number;
  /** Counting window, seconds. @default 60 */
  window?: number;
  /** Most IPs counted at once; the least recently seen is forgotten first. @default 1000 */
  maxTracked?: number;
}

/**
 * The session cookie. Defaults are the safest attributes a session cookie
 * can have (RFC 6265bis §4.1.3): `__Host-sid`, `HttpOnly`,
 * `Secure`, `SameSite=Lax`, `Path=/`, no `Domain`, no `Max-Age`.
 *
 * @example
 * ```ts
 * const cookie: SessionCookieOptions = { name: "__Host-app", sameSite: "strict", persistent: true };
 * ```
 */
export interface SessionCookieOptions {
  /**
   * Cookie name. Generic on purpose: it names no framework an attacker
   * could fingerprint (OWASP Session Management, "Session ID Name Fingerprinting").
   * @default "__Host-sid"
   */
  name?: string;
  /**
   * `SameSite` attribute. `"none"` is not offered: a session cookie sent on
   * cross-site requests needs CSRF defences this package cannot assume.
   * @default "lax" (SECURITY decision 2; OWASP prefers Strict, Lax is the usability default)
   */
  sameSite?: "lax" | "strict";
  /**
   * `true` adds `Max-Age = min(idle remaining, absolute remaining)` so the
   * cookie survives a browser restart ("remember me"). Off, the cookie is a
   * browser-session cookie (gone when the browser closes); the server enforces timeouts either way.
   * @default false
   */
  persistent?: boolean;
  /**
   * `Path`; only for names without the `__Host-` prefix, which requires `/`.
   * @default "/"
   */
  path?: string;
  /** `Domain`; only for names without the `__Host-` prefix. @default undefined (host-only) */
  domain?: string;
  /**
   * `Secure` attribute. Only `true` is accepted on its own: `false` is a
   * startup error (a session cookie must never travel over plain HTTP) unless {@link insecureDevelopmentOnly} is also set.
   * Browsers treat `http://localhost` as a secure context, so Secure cookies
   * work in local development (SECURITY decision 5).
   * @default true
   */
  secure?: boolean;
  /**
   * Drops `Secure` and the `__Host-` prefix (default name becomes `"sid"`) for
   * development over plain HTTP on a host that is not `localhost`. Named to be
   * seen in code review; `createSessions` throws `ERR_SESSION_INVALID_OPTION`
   * when `NODE_ENV` is `"production"`, and a `__Host-`/`__Secure-` name with it
   * is refused (browsers would drop such a cookie).
   * @default false
   */
  insecureDevelopmentOnly?: boolean;
}

/**
 * Options both modes share. Durations are seconds. `createSessions` takes
 * {@link SessionsOptions}: these plus either a `store` ({@link StoredSessionsOptions})
 * or none ({@link SealedSessionsOptions}).
 *
 * @example
 * ```ts
 * const common: SessionsBaseOptions = { keys: createKeyring([{ id: "2026-11", secret }]), idleTimeout: 900 };
 * ```
 */
export interface SessionsBaseOptions {
  /** Keyring from `@tessera/signing`: signs session cookies, seals stateless sessions, derives CSRF tokens. */
  keys: Keyring;
  /** The session cookie; see {@link SessionCookieOptions}. */
  cookie?: SessionCookieOptions;
  /**
   * Sliding idle timeout, seconds.
   * @default 1800 (30 min; OWASP Session Management CS "Idle Timeout": 15–30 min for low-risk apps)
   */
  idleTimeout?: number;
  /**
   * Absolute timeout from `createdAt` (reset by `login`), seconds.
   * @default 43200 (12 h; NIST SP 800-63B-3 AAL2 reauthentication, as encoded in ASVS 4.0.3 3.3.2)
   */
  absoluteTimeout?: number;
  /**
   * An unchanged session refreshes its expiry at most once per this many
   * seconds (one `store.touch`, or one re-seal when stateless); idle
   * precision is traded for fewer writes. Must be less than `idleTimeout`.
   * @default 60
   */
  touchAfter?: number;
  /**
   * Re-read-and-merge attempts after a version conflict before `commit`
   * throws `ERR_SESSION_CONFLICT`. Each retry first waits a random time up
   * to 1 ms × 2^attempt, capped at 50 ms (full jitter), so writers that
   * collided do not collide again in lock-step; 10 retries wait at most ~0.3 s.
   * @default 10 (20 parallel writers to one session on Redis, Memcached,
   * PostgreSQL and MariaDB all succeed in the integration harness)
   */
  maxRetries?: number;
  /**
   * Largest serialized record, UTF-8 bytes; larger commits throw
   * `ERR_SESSION_TOO_LARGE` before any store call, so one session cannot
   * fill the store.
   * @default 65536
   */
  maxSize?: number;
  /**
   * Most octets the session's cookies may take together in a request's
   * `Cookie` header (every chunk's name, "=" and value, and the "; " between
   * them), in octets. A stateless session whose sealed cookies would need
   * more makes `commit` throw `ERR_SESSION_TOO_LARGE` and write nothing (no
   * `Set-Cookie`), so the browser never holds cookies the server refuses with
   * 431, and `load` reads back whatever this allows. The default fits under
   * the 8 KiB that nginx and Apache accept for a whole header line, leaving
   * 2 KiB for the site's other cookies; raise it only together with your
   * servers' and proxies' header limits. The stateful cookie takes at most
   * the name plus 153 octets. The `Cookie` header is searched for the
   * session cookie up to this plus 16 KiB; a longer one is refused as
   * `header_too_large`.
   * @default 6144 (octets; 1024..65536)
   */
  maxCookieSize?: number;
  /**
   * Deepest nesting of objects/arrays in session data (and flash); deeper
   * commits throw `ERR_SESSION_TOO_DEEP` before any store call, and a stored
   * record nested deeper is refused as `malformed` on load, so neither
   * writing nor parsing can exhaust the stack.
   * @default 32
   */
  maxDepth?: number;
  /**
   * Store and send a cookie for sessions that hold no data (`express-session`'s
   * `saveUninitialized`). Off, a session is created lazily on its first write
   * or an explicit `session.persist()`, so anonymous visitors cost no store
   * entry and get no cookie.
   * @default false
   */
  saveUninitialized?: boolean;
  /**
   * At the limit: `"evict_oldest"` deletes the least recently active sessions
   * (by store expiry); `"reject"` makes `login` throw `ERR_SESSION_LIMIT`.
   * @default "evict_oldest"
   */
  sessionLimit?: "evict_oldest" | "reject";
  /**
   * After `logout()`/`destroy()`, `commitHeaders` (and `withSessions`)
   * add `Clear-Site-Data: "cache", "cookies", "storage"` so the browser drops
   * cached pages, every cookie and the storage of this origin (W3C Clear-Site-Data).
   * Note: "cookies" clears all cookies of the site, not only the session's.
   * @default false
   */
  clearSiteDataOnLogout?: boolean;
  /**
   * What happens when a stored session is loaded with a different user-agent
   * family (browser and platform, versions ignored) or a different network
   * (IPv4 /16, IPv6 /48) than recorded, from the `meta` passed to `load`
   * (OWASP Session Management, "Binding the Session ID to Other User
   * Properties"). `"log"` emits `binding_changed` and keeps the session;
   * `"revoke"` also deletes it and returns a fresh session rejected with
   * `binding_changed`; `"off"` does neither. Stateful mode only (sealed
   * cookies carry no metadata).
   * @default "log" (a new network or browser is common and not proof of theft)
   */
  binding?: "off" | "log" | "revoke";
  /**
   * Brute-force detection: `threshold` unknown, badly signed or malformed
   * session ids from one IP (the `ip` passed to `load`) within `window`
   * seconds emit one `bruteforce` event per window and call `onBruteforce`.
   * Detection only; blocking is the hook's or the adapter's job.
   * Memory is bounded by `maxTracked`. `false` turns it off.
   * @default { threshold: 100, window: 60, maxTracked: 1000 } (on: it only observes)
   */
  bruteforce?: BruteforceOptions | false;
  /** Called once per window when an IP crosses the brute-force threshold; errors are swallowed. */
  onBruteforce?: (info: BruteforceInfo) => void;
  /**
   * Grace window of a renewed token, seconds: concurrent requests that still
   * carry it get the current session and the new cookie.
   * @default 60
   */
  renewGrace?: number;
  /**
   * Clock in epoch milliseconds; inject one in tests. Every instant the
   * manager computes comes from it: timeouts, cookie `Max-Age`, the sealed
   * cookie's expiry, the deadlines it hands to stores. It does not reach the
   * stores you pass (`store`, `revocationStore`): they expire entries by
   * their own clock (`MemoryStore`'s `now` option, a server's own time), so
   * give a `MemoryStore` the same clock, or a deny entry written "until the
   * absolute deadline" of a test instant may already be expired for it.
   * @default Date.now
   */
  now?: () => number;
  /** Audit events; see {@link SessionEvent}. Exceptions thrown by the listener are swallowed. */
  onEvent?: SessionEventListener;
}

/**
 * Stored mode: the session record lives in `store` and the cookie (or bearer
 * token) carries only a signed random id.
 *
 * @example
 * ```ts
 * const options: StoredSessionsOptions = {
 *   keys: createKeyring([{ id: "2026-11", secret }]),
 *   store: new MemoryStore(),
 *   idleTimeout: 900,
 * };
 * ```
 */
export interface StoredSessionsOptions extends SessionsBaseOptions {
  /**
   * Where sessions live. Omit for stateless mode: the record is sealed
   * (JWE dir + A256GCM) into the cookie itself and logout only clears the
   * cookie (SECURITY decision 4).
   */
  store: SessionStore;
  /**
   * Seal stored values with the keyring (AAD bound to the store key, so a
   * value copied under another key does not open)
   * so a store dump reveals no session data. Costs one AES-GCM per load and write.
   * @default false
   */
  encryptAtRest?: boolean;
  /**
   * Most concurrent sessions of one user, enforced at `login`. Needs a
   * store with the per-user index. Concurrent logins may briefly exceed it.
   * @default undefined (unlimited)
   */
  maxSessionsPerUser?: number;
  /**
   * Where the session token travels: one place only, never both (RFC 6750
   * §2 for the header). `"cookie"`: only the
   * `Cookie` header is read. `"authorization"`: only `Authorization: Bearer
   * <token>` is read (never a URL, body or custom header; SECURITY decision 6),
   * no cookie is ever set, and the token to hand to the client is
   * `session.bearerToken` / `commitHeaders(...).token`. Needs a store.
   * @default "cookie"
   */
  tokenMode?: "cookie" | "authorization";
  /**
   * Renewal timeout (OWASP Session Management, "Renewal Timeout"), seconds: a session whose token is older
   * than this gets a new token on commit (data, user and deadlines kept). The
   * old token keeps working for `renewGrace` seconds, only to learn the new
   * one; after that it is rejected (`renewal_reuse`). Needs a store.
   * @default undefined (off)
   */
  renewAfter?: number;
  /** Sealed mode only: with a store, logout deletes the entry. */
  revocationStore?: undefined;
}

/**
 * Sealed mode (no `store`): the record is sealed into the cookie itself. The
 * options that need server state are typed out, and `createSessions` refuses
 * them at startup too (`ERR_SESSION_INVALID_OPTION`) for callers without types.
 *
 * @example
 * ```ts
 * const options: SealedSessionsOptions = { keys: createKeyring([{ id: "2026-11", secret }]) };
 * ```
 */
export interface SealedSessionsOptions extends SessionsBaseOptions {
  /** Absent: sessions are sealed into the cookie. */
  store?: undefined;
  /**
   * Stateless mode only: a small store that makes logout revoke on the
   * server (SECURITY decision 4). `logout()` denies the sealed
   * session's id until its absolute deadline and returns
   * `{ serverSideRevoked: true }`; `revokeUser(userId)` sets a per-user
   * `notBefore` that refuses every cookie whose login (or `except` keep) is
   * older, however recently it was re-sealed. Costs one or two store reads
   * per request, and again on a commit that re-seals a loaded session. Without it, logout only clears the cookie and a
   * stolen copy stays valid until it expires (`serverSideRevoked: false`).
   * @default undefined (off)
   */
  revocationStore?: SessionStore;
  /** Stored mode only: a sealed cookie is always encrypted. */
  encryptAtRest?: false;
  /** Stored mode only: sealed sessions cannot be counted per user. */
  maxSessionsPerUser?: undefined;
  /** Stored mode only: a sealed session is a cookie. */
  tokenMode?: "cookie";
  /** Stored mode only: a sealed cookie has no server state to forward. */
  renewAfter?: undefined;
}

/**
 * Options of {@link createSessions}: with a `store` (stored mode) or without
 * (sealed mode). An option that only one mode supports is a type error in the
 * other, and is refused at startup as well.
 *
 * @example
 * ```ts
 * const options: SessionsOptions = {
 *   keys: createKeyring([{ id: "2026-11", secret }]),
 *   store: new MemoryStore(),
 *   idleTimeout: 900,
 * };
 * ```
 */
export type SessionsOptions = StoredSessionsOptions | SealedSessionsOptions;
