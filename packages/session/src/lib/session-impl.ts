import { SessionError } from "../errors.js";
import type { RejectReason } from "../events.js";
import type { DestroyResult, LoginOptions, Session, SessionKey } from "../session.js";
import { type Changes, hasChanges, NO_CHANGES, noChanges } from "./changes.js";
import type { Context } from "./context.js";
import { MAX_CLOCK_SKEW_MS } from "./expiry.js";
import { badPersistent, bindUser, checkSeconds, planLogin } from "./login.js";
import { emptyBag, type SessionMeta, type SessionRecord } from "./record.js";
import { checkUserId } from "./user-id.js";

function committedError(): SessionError {
  return new SessionError(
    "ERR_SESSION_COMMITTED",
    "the session was changed after its commit began (the response headers are on their way); change it before the response is sent",
  );
}

/**
 * Where one request's session is in its life. One field instead of flags:
 *
 * | state          | mutators                  | commit                            | entered by                          |
 * | -------------- | ------------------------- | --------------------------------- | ----------------------------------- |
 * | `open`         | allowed                   | writes what changed (or nothing)  | `load`                              |
 * | `loggedOut`    | `ERR_SESSION_DESTROYED`   | clears the cookie                 | `destroy()`/`logout()` from `open`  |
 * | `committed`    | `ERR_SESSION_COMMITTED`   | the write above, at most once     | `commitHeaders` from `open`         |
 * | `loggedOutCommitted` | `ERR_SESSION_COMMITTED` | clears the cookie             | `commitHeaders` from `loggedOut`    |
 * | `gone`         | `ERR_SESSION_COMMITTED`   | nothing more to write             | the commit found the entry deleted, revoked or expired by another request |
 *
 * Whether the session is new is not a state: `version === 0` means nothing
 * is stored (or sealed) under the current token yet, as for a session that
 * `load` made up, or one `regenerate`/`login`/`elevate` moved to a new token.
 * `commitHeaders` moves the state before its first await.
 */
export type SessionState = "open" | "loggedOut" | "committed" | "loggedOutCommitted" | "gone";

/** Gives the session a new random token (and the store key and sealed id that go with it). */
function newToken(s: SessionImpl<object, object>): void {
  const token = s.ctx.crypto.randomToken();
  s.token = token;
  s.key = s.ctx.crypto.hashToken(token);
  s.tokenChanged = true;
  s.ctx.backend.identify(s, token);
}

/** Where a session came from and what its commit must do. Private to the package. */
export class SessionImpl<Data extends object, Flash extends object>
  implements Session<Data, Flash>
{
  /** See {@link SessionState}. */
  state: SessionState = "open";
  /** Raw token (stateful) or internal id (stateless); never leaves the process except in the cookie. */
  token: string | undefined;
  /** hashToken(token): the store key, and the `session` field of events. */
  key: string | undefined;
  /** Store entry version this request read (1 for a sealed cookie); 0 when nothing is stored under the token yet. */
  version = 0;
  /** The entry's expiresAt as read, for touch decisions. */
  storeExpiresAt: number | undefined;
  record: SessionRecord;
  changes: Changes = NO_CHANGES;
  persistRequested = false;
  /** This request minted or rotated the token (or must re-issue it): bearer mode hands it out. */
  tokenChanged: boolean;
  /** Cookies of this session the request carried (name to first value): what to clear or replace. */
  incoming: Record<string, string>;
  metaChanged = false;
  /**
   * Verified with a key that is no longer the primary one: send a cookie made
   * with the primary key, so retired keys can be dropped after rotation.
   */
  reissue: boolean;
  /** The signed cookie value of {@link signedFor}, when the request carried it signed with the primary key. */
  signed: string | undefined;
  /** The token {@link signed} belongs to; a new token (regenerate, login, renewal) makes it stale. */
  signedFor: string | undefined;
  readonly rejected: RejectReason | undefined;
  readonly ctx: Context;

  constructor(
    ctx: Context,
    init: {
      record: SessionRecord;
      token?: string;
      key?: string;
      reissue?: boolean;
      version?: number;
      storeExpiresAt?: number;
      rejected?: RejectReason;
      incoming: Record<string, string>;
      meta?: SessionMeta;
      signed?: string;
    },
  ) {
    this.ctx = ctx;
    this.record = init.record;
    this.token = init.token;
    this.key = init.key;
    this.reissue = init.reissue ?? false;
    this.signed = init.signed;
    this.signedFor = init.signed === undefined ? undefined : init.token;
    this.version = init.version ?? 0;
    this.storeExpiresAt = init.storeExpiresAt;
    this.rejected = init.rejected;
    this.incoming = init.incoming;
    this.tokenChanged = this.reissue;
    if (init.meta) this.updateMeta(init.meta);
  }

  private updateMeta(meta: SessionMeta): void {
    // Only stores list sessions; a sealed cookie should not carry the client's IP around.
    if (!this.ctx.backend.keepsMeta) return;
    const old = this.record.meta;
    const ua = meta.userAgent?.slice(0, 512) ?? old?.userAgent;
    const ip = meta.ip?.slice(0, 64) ?? old?.ip;
    // The binding check runs in load, before this session exists.
    // Compared before any allocation: the same client is the common case.
    if (ua === old?.userAgent && ip === old?.ip) return;
    const next: SessionMeta = {};
    if (ua !== undefined) next.userAgent = ua;
    if (ip !== undefined) next.ip = ip;
    this.record.meta = next;
    this.metaChanged = true;
  }

  /** The key {@link publicIdValue} was derived from: a new token makes it stale. */
  private publicIdOf: string | undefined;
  private publicIdValue: string | undefined;

  get id(): string | undefined {
    const key = this.key;
    if (key === undefined) return undefined;
    if (this.publicIdOf !== key) {
      this.publicIdValue = this.ctx.crypto.publicId(key);
      this.publicIdOf = key;
    }
    return this.publicIdValue;
  }
  get isNew(): boolean {
    return this.version === 0;
  }
  get userId(): string | undefined {
    return this.record.userId;
  }
  get authTime(): number | undefined {
    return this.record.authTime;
  }
  get createdAt(): number {
    return this.record.createdAt;
  }
  get lastSeenAt(): number {
    return this.record.lastSeenAt;
  }
  get persistent(): boolean {
    return this.record.persistent ?? this.ctx.cookie.persistent;
  }
  get bearerToken(): string | undefined {
    if (this.ctx.tokenMode !== "authorization" || this.isDestroyed) return undefined;
    if (!this.tokenChanged || this.token === undefined) return undefined;
    return this.ctx.crypto.signToken(this.token);
  }
  get isDestroyed(): boolean {
    const state = this.state;
    return state === "loggedOut" || state === "loggedOutCommitted" || state === "gone";
  }
  /** `commit`/`commitHeaders` has started: every mutator throws `ERR_SESSION_COMMITTED`. */
  get committed(): boolean {
    const state = this.state;
    return state === "committed" || state === "loggedOutCommitted" || state === "gone";
  }
  /** This request called destroy()/logout() (not a concurrent destroy): Clear-Site-Data applies. */
  get loggedOut(): boolean {
    return this.state === "loggedOut" || this.state === "loggedOutCommitted";
  }
  /** The request carried a cookie for this session name (stale ones get cleared). */
  get hadCookie(): boolean {
    for (const _ in this.incoming) return true;
    return false;
  }

  /**
   * The one gate every mutating method passes first, so no change can be made
   * after the response headers left: adapters
   * need no wrapper of their own, and a mutator added later only has to call
   * it (the session-level test table fails for a public method that is
   * classified as neither a read nor a mutator).
   */
  private writable(): void {
    if (this.committed) throw committedError();
    if (this.isDestroyed) {
      throw new SessionError(
        "ERR_SESSION_DESTROYED",
        "session was destroyed; load a new one for further changes",
      );
    }
  }

  /** This session's own change log, made on the first change (NO_CHANGES is shared). */
  private ownChanges(): Changes {
    if (this.changes === NO_CHANGES) this.changes = noChanges();
    return this.changes;
  }

  get<K extends SessionKey<Data>>(key: K): Data[K] | undefined {
    return this.record.data[key] as Data[K] | undefined;
  }

  set<K extends SessionKey<Data>>(key: K, value: Data[K]): void {
    this.writable();
    if (typeof key !== "string") {
      throw new SessionError(
        "ERR_SESSION_INVALID_ARGUMENT",
        `key must be a string: ${String(key)}`,
      );
    }
    if (value === undefined) {
      this.delete(key);
      return;
    }
    this.record.data[key] = value;
    this.ownChanges().data.set(key, { op: "set", value });
  }

  delete<K extends SessionKey<Data>>(key: K): void {
    this.writable();
    if (!(key in this.record.data) && !this.changes.data.has(key)) return;
    delete this.record.data[key];
    this.ownChanges().data.set(key, { op: "delete" });
  }

  has<K extends SessionKey<Data>>(key: K): boolean {
    return key in this.record.data;
  }

  toJSON(): Partial<Data> {
    const copy = emptyBag();
    for (const key of Object.keys(this.record.data)) copy[key] = this.record.data[key];
    return copy as Partial<Data>;
  }

  persist(): void {
    this.writable();
    this.persistRequested = true;
  }

  setPersistent(persistent: boolean): void {
    this.writable();
    if (typeof persistent !== "boolean") throw badPersistent(persistent);
    if (this.record.persistent === persistent) return;
    this.record.persistent = persistent;
    this.ownChanges().persistent = persistent;
    // The browser must learn the new lifetime even when nothing else changed:
    // a cookie that turns into a browser-session cookie is replaced, not left to its Max-Age.
    this.reissue = true;
  }

  flash<K extends SessionKey<Flash>>(key: K, value: Flash[K]): void {
    this.writable();
    this.record.flash ??= emptyBag();
    this.record.flash[key] = value;
    this.ownChanges().flash.set(key, { op: "set", value });
  }

  consumeFlash<K extends SessionKey<Flash>>(key: K): Flash[K] | undefined {
    // A mutator: consuming deletes the message, which a started commit could not store.
    if (this.committed) throw committedError();
    const flash = this.record.flash;
    if (flash === undefined || !(key in flash)) return undefined;
    const value = flash[key] as Flash[K];
    if (!this.isDestroyed) {
      delete flash[key];
      this.ownChanges().flash.set(key, { op: "delete" });
    }
    return value;
  }

  /** Holds anything worth storing: data, flash or a bound user. */
  hasContent(): boolean {
    const r = this.record;
    if (r.userId !== undefined) return true;
    for (const _ in r.data) return true;
    if (r.flash) for (const _ in r.flash) return true;
    return false;
  }

  isDirty(): boolean {
    // New metadata (another browser or network) is written so listings stay true.
    return this.metaChanged || hasChanges(this.changes);
  }

  /**
   * Retires the current token (its entry deleted, or its sealed cookie
   * denied) and moves to a new one, keeping the record: the old token must
   * stop working, or a fixated id would survive login (OWASP Session
   * Management, "Renew the Session ID After Any Privilege Level Change").
   */
  private async rotate(): Promise<void> {
    const previous = this.key;
    if (previous !== undefined && this.version > 0) await this.ctx.backend.retire(this.ctx, this);
    newToken(this);
    this.version = 0;
    this.storeExpiresAt = undefined;
    // A whole-record write follows; per-key changes are subsumed by it.
    this.changes = NO_CHANGES;
    if (previous !== undefined) {
      this.ctx.emit({
        type: "regenerated",
        at: this.ctx.now(),
        session: this.key!,
        previous,
      });
    }
  }

  async regenerate(): Promise<void> {
    this.writable();
    await this.rotate();
  }

  async login(userId: string, options: LoginOptions<Data> = {}): Promise<void> {
    this.writable();
    checkUserId(userId);
    // Decided before anything changes: a refused login leaves the session as it was.
    const plan = planLogin(options, this.ctx.now(), this.ctx.timeouts.absoluteMs);
    // Before rotating, for the same reason: the per-user limit may refuse it.
    await this.ctx.backend.beforeLogin(this.ctx, this, userId);
    await this.rotate();
    const now = this.ctx.now();
    bindUser(this.record, userId, plan, now);
    this.ctx.emit({ type: "login", at: now, session: this.key!, userId });
  }

  async elevate(): Promise<void> {
    this.writable();
    if (this.record.userId === undefined) {
      throw new SessionError(
        "ERR_SESSION_REAUTH_REQUIRED",
        "elevate() needs a logged-in session; authenticate with login() first",
      );
    }
    await this.rotate();
  }

  async destroy(): Promise<DestroyResult> {
    if (this.committed) throw committedError();
    const { backend } = this.ctx;
    if (this.isDestroyed) return { serverSideRevoked: backend.revocable };
    this.state = "loggedOut";
    await backend.destroy(this.ctx, this);
    return { serverSideRevoked: backend.revocable };
  }

  logout(): Promise<DestroyResult> {
    return this.destroy();
  }

  isFresh(maxAge: number): boolean {
    checkSeconds("maxAge", maxAge);
    const authTime = this.record.authTime;
    if (authTime === undefined || this.isDestroyed) return false;
    const now = this.ctx.now();
    return authTime <= now + MAX_CLOCK_SKEW_MS && now - authTime <= maxAge * 1000;
  }

  requireFresh(maxAge: number): void {
    if (!this.isFresh(maxAge)) {
      throw new SessionError(
        "ERR_SESSION_REAUTH_REQUIRED",
        `a login within the last ${maxAge} s is required for this operation`,
      );
    }
  }

  /** Mints the token a new session will be stored under, so derived values stay stable. */
  ensureIdentity(): string {
    if (this.key === undefined) newToken(this);
    return this.key!;
  }

  async csrfToken(): Promise<string> {
    if (this.committed) {
      // Still readable when it changes nothing: a stored session keeps its
      // identity (a streamed page may need the token). A new one would mint an
      // identity the started commit can no longer store.
      if (this.isNew || this.isDestroyed || this.key === undefined) throw committedError();
      return this.ctx.crypto.csrfToken(this.key);
    }
    this.writable();
    const identity = this.ensureIdentity();
    this.persistRequested = true;
    return this.ctx.crypto.csrfToken(identity);
  }

  async verifyCsrf(token: unknown): Promise<boolean> {
    if (typeof token !== "string" || token.length === 0 || token.length > 256) return false;
    if (this.key === undefined || this.isDestroyed) return false;
    return this.ctx.crypto.verifyCsrf(this.key, token);
  }
}
