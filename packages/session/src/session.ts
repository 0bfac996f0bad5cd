import type { RejectReason } from "./events.js";

/**
 * The shape of session data: string keys to JSON-serializable values.
 *
 * @example
 * ```ts
 * interface AppData extends object { cart: number[]; theme: "light" | "dark" }
 * ```
 */
export type SessionData = Record<string, unknown>;

/**
 * Keys of `Data` usable with `get`/`set` (string keys only: the record is JSON).
 *
 * @example
 * ```ts
 * function read<D>(session: Session<D>, key: SessionKey<D>) { return session.get(key); }
 * ```
 */
export type SessionKey<Data> = keyof Data & string;

/**
 * Result of `destroy()`/`logout()`. `serverSideRevoked` is `false` in stateless
 * mode: only the cookie is cleared and a stolen copy stays valid until its
 * expiry (SECURITY decision 4).
 *
 * @example
 * ```ts
 * const { serverSideRevoked } = await session.logout();
 * ```
 */
export interface DestroyResult {
  serverSideRevoked: boolean;
}

/**
 * Options of `session.login`.
 *
 * @example
 * ```ts
 * await session.login(user.id, { carryOver: ["cart"] });
 * ```
 */
export interface LoginOptions<Data> {
  /**
   * Keys of the pre-login session kept across login; everything else is
   * dropped, so one user's data never leaks into another's session. When the same user logs in again (step-up), all data is
   * kept and this option is ignored.
   * @default [] (nothing carried over from an anonymous or another user's session)
   */
  carryOver?: ReadonlyArray<SessionKey<Data>>;
  /**
   * `null` when this login binds a user who did not authenticate in this
   * request, e.g. a session carried over from another system: `authTime`
   * stays undefined, so `isFresh`/`requireFresh` refuse the session until a
   * real `login` (OWASP ASVS 4.0 §3.7.1: sensitive operations need a real,
   * recent authentication).
   * @default now (the user just authenticated)
   */
  authTime?: null;
  /**
   * When the session really began, epoch milliseconds, if earlier than now
   * (a carried-over session's own creation time): the absolute timeout runs
   * from it. Never later than now.
   * @default now
   */
  createdAt?: number;
  /**
   * An instant the absolute deadline must not pass, epoch milliseconds (a
   * carried-over session's own expiry): `createdAt` is moved back so that
   * `createdAt + absoluteTimeout` is at most this. A deadline already past
   * throws `ERR_SESSION_INVALID_ARGUMENT` and changes nothing.
   * @default none
   */
  expiresBy?: number;
  /**
   * "Keep me signed in" for this session: `true` gives its cookie a
   * `Max-Age` (it survives a browser restart), `false` makes it a
   * browser-session cookie, whatever `cookie.persistent` says. Remembered in
   * the session, so later commits keep it; see `setPersistent`. Left out, a
   * login as the same user keeps the session's earlier choice and a login as
   * another user falls back to `cookie.persistent`. Anything but a boolean
   * throws `ERR_SESSION_INVALID_ARGUMENT` and changes nothing.
   * @default the session's earlier choice (same user), else `cookie.persistent`
   */
  persistent?: boolean;
}

/**
 * One request's view of a session, identical in stateful and stateless mode.
 * Reads are synchronous; changes are recorded per key and written by
 * `sessions.commit(session)`. Values are stored as JSON: call `set` again
 * after mutating an object in place, or the change is not seen.
 *
 * @example
 * ```ts
 * const session = await sessions.load(request);
 * session.set("cart", [...(session.get("cart") ?? []), 42]);
 * const setCookie = await sessions.commit(session);
 * ```
 */
export interface Session<Data extends object = SessionData, Flash extends object = SessionData> {
  /**
   * A stable, non-secret handle for this session: the `id` that
   * `sessions.listUserSessions()` lists it under and `revokeUserSession()`
   * takes, so a page can mark "this device", and the value to bind a step-up
   * token to (`@tessera/tokens` `issueStepUp({ sessionId: session.id })`).
   * A labelled SHA-256 of the store key (43 base64url characters): it is
   * neither the token nor the store key, and cannot be turned into either,
   * so it may be shown in pages and logged. Stateless sessions have one too,
   * derived the same way from their internal id.
   *
   * It follows the token: `login`, `regenerate`, `elevate` and a renewal
   * (`renewAfter`) give a new id at once. Undefined while the session has no
   * token yet: a new session gets one at its first commit that stores it (or
   * earlier from `login`, `regenerate` or `csrfToken`). A rejected cookie
   * yields a new session without an id, never the rejected one's.
   *
   * @example
   * ```ts
   * const rows = await sessions.listUserSessions(userId);
   * const current = rows.find((row) => row.id === session.id);
   * ```
   */
  readonly id: string | undefined;
  /** True until the session has been stored (or sealed) once. */
  readonly isNew: boolean;
  /** Why the request's cookie was not accepted, when it carried one that was not. */
  readonly rejected: RejectReason | undefined;
  /** The bound user, set by `login`. Read-only: application data can never set it. */
  readonly userId: string | undefined;
  /**
   * Epoch ms of the last `login` (authentication); undefined when anonymous or
   * when the authentication time is unknown (`login(id, { authTime: null })`).
   */
  readonly authTime: number | undefined;
  /** Epoch ms the session (or its current authentication) started; the absolute timeout runs from here. */
  readonly createdAt: number;
  /** Epoch ms of the last recorded activity. */
  readonly lastSeenAt: number;
  /**
   * Whether the session cookie is persistent ("keep me signed in"): this
   * session's own choice (`login(id, { persistent })`, `setPersistent`),
   * else the `cookie.persistent` option.
   */
  readonly persistent: boolean;
  /** True after `destroy`/`logout`, or when another request destroyed it meanwhile. */
  readonly isDestroyed: boolean;
  /**
   * `tokenMode: "authorization"` only: the signed token the client must use
   * from now on, when this request issued one (a new session after commit;
   * after `login`/`regenerate`/`elevate` at once; a key rotation or renewal
   * re-issue). Undefined when the client's token stays valid, and always in
   * cookie mode. Send it in the response body; the client sends it back as
   * `Authorization: Bearer <token>`.
   */
  readonly bearerToken: string | undefined;

  /**
   * The value under `key`, or undefined.
   * @example
   * ```ts
   * const cart = session.get("cart") ?? [];
   * ```
   */
  get<K extends SessionKey<Data>>(key: K): Data[K] | undefined;
  /**
   * Sets `key`; the session becomes dirty and is written on commit.
   * @example
   * ```ts
   * session.set("theme", "dark");
   * ```
   */
  set<K extends SessionKey<Data>>(key: K, value: Data[K]): void;
  /**
   * Removes `key` (a key-level delete that survives a conflict merge).
   * @example
   * ```ts
   * session.delete("cart");
   * ```
   */
  delete<K extends SessionKey<Data>>(key: K): void;
  /**
   * Whether `key` holds a value.
   * @example
   * ```ts
   * if (!session.has("cart")) session.set("cart", []);
   * ```
   */
  has<K extends SessionKey<Data>>(key: K): boolean;
  /**
   * A prototype-free copy of the data, for serialization or debugging.
   * @example
   * ```ts
   * console.log(session.toJSON());
   * ```
   */
  toJSON(): Partial<Data>;
  /**
   * Stores and sends the session even while it holds no data (sessions are
   * otherwise created lazily, on their first write).
   * @example
   * ```ts
   * session.persist();
   * ```
   */
  persist(): void;
  /**
   * "Keep me signed in", chosen for this session at any time (usually at
   * login: `login(id, { persistent })`). `true` sends the cookie with
   * `Max-Age = min(idle remaining, absolute remaining)`, so it survives a
   * browser restart; `false` replaces it with a browser-session cookie. The
   * choice is stored with the session and kept by later commits. It changes
   * only the cookie's lifetime in the browser: the idle and absolute
   * timeouts are enforced on the server as before and are never extended.
   * Cookie mode only (a bearer token has no cookie). Anything but a boolean
   * throws `ERR_SESSION_INVALID_ARGUMENT`.
   * @example
   * ```ts
   * session.setPersistent(form.get("remember") === "on");
   * ```
   */
  setPersistent(persistent: boolean): void;

  /**
   * Stores a message readable exactly once by a later request.
   * @example
   * ```ts
   * session.flash("notice", "Saved");
   * ```
   */
  flash<K extends SessionKey<Flash>>(key: K, value: Flash[K]): void;
  /**
   * Returns and removes a flash message; undefined when none.
   * @example
   * ```ts
   * const notice = session.consumeFlash("notice");
   * ```
   */
  consumeFlash<K extends SessionKey<Flash>>(key: K): Flash[K] | undefined;

  /**
   * New token, same data; the old store entry is deleted now (fixation
   * defence: OWASP Session Management, "Renew the Session ID After Any
   * Privilege Level Change"). The new cookie is sent by commit.
   * @example
   * ```ts
   * await session.regenerate();
   * ```
   */
  regenerate(): Promise<void>;
  /**
   * Regenerates, binds `userId` and records the authentication time; the
   * absolute timeout restarts from this authentication. `authTime: null`,
   * `createdAt` and `expiresBy` bind a user without claiming a fresh
   * authentication or a new absolute window (a session carried over from
   * another system).
   * @example
   * ```ts
   * await session.login(user.id, { carryOver: ["cart"], persistent: rememberMe });
   * await session.login(legacy.userId, { authTime: null, createdAt: legacy.createdAt });
   * ```
   */
  login(userId: string, options?: LoginOptions<Data>): Promise<void>;
  /**
   * Privilege change without re-authentication (role granted, password or
   * factor changed, account recovered): a new token, the old entry deleted now,
   * data, `userId`, `createdAt` and `authTime` kept, so the absolute timeout and
   * freshness still run from the last real login. Use `login`
   * when the user just proved who they are. Throws `ERR_SESSION_REAUTH_REQUIRED`
   * on a session with no user.
   * @example
   * ```ts
   * await grantAdmin(session.userId!);
   * await session.elevate();
   * ```
   */
  elevate(): Promise<void>;
  /**
   * Same as `destroy`: deletes the entry first (the server forgets the
   * session before the browser does), then commit emits a
   * cookie that clears it (chunks included).
   * @example
   * ```ts
   * await session.logout();
   * ```
   */
  logout(): Promise<DestroyResult>;
  /**
   * Deletes the store entry now; commit clears the cookie. If the delete
   * fails the session is still marked destroyed (commit still clears the
   * cookie) and the store's error is rethrown.
   * @example
   * ```ts
   * await session.destroy();
   * ```
   */
  destroy(): Promise<DestroyResult>;

  /**
   * True when the user authenticated within the last `maxAge` seconds.
   * @example
   * ```ts
   * if (!session.isFresh(300)) return redirectToLogin();
   * ```
   */
  isFresh(maxAge: number): boolean;
  /**
   * Throws `SessionError` `ERR_SESSION_REAUTH_REQUIRED` unless `isFresh(maxAge)`:
   * sensitive actions ask for a recent login (OWASP ASVS V3.7).
   * @example
   * ```ts
   * session.requireFresh(300);
   * ```
   */
  requireFresh(maxAge: number): void;

  /**
   * The session's synchronizer CSRF token, derived with the CSRF purpose of
   * the keyring from the session identity; it changes on regenerate/login.
   * Calling it makes a new session persist, so the token survives.
   * @example
   * ```ts
   * const html = `<input type="hidden" name="csrf" value="${await session.csrfToken()}">`;
   * ```
   */
  csrfToken(): Promise<string>;
  /**
   * Constant-time check of a submitted CSRF token.
   * @example
   * ```ts
   * if (!(await session.verifyCsrf(form.get("csrf")))) return new Response(null, { status: 403 });
   * ```
   */
  verifyCsrf(token: unknown): Promise<boolean>;
}
