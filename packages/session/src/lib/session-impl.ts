import { supportsUserIndex, type UserSession } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { RejectReason } from "../events.js";
import type { DestroyResult, LoginOptions, Session, SessionKey } from "../session.js";
import { type Changes, hasChanges, NO_CHANGES, noChanges } from "./changes.js";
import type { Context } from "./context.js";
import { MAX_CLOCK_SKEW_MS } from "./expiry.js";
import { type Bag, emptyBag, type SessionMeta, type SessionRecord } from "./record.js";
import { denySession } from "./revocation.js";
import { reportStoreError } from "./store-call.js";
import { checkUserId } from "./user-id.js";

export { sameNetwork } from "./binding.js";

function committedError(): SessionError {
  return new SessionError(
    "ERR_SESSION_COMMITTED",
    "the session was changed after its commit began (the response headers are on their way); change it before the response is sent",
  );
}

function checkSeconds(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `${name} must be a non-negative number of seconds: ${String(value)}`,
    );
  }
  return value;
}

function badPersistent(value: unknown): SessionError {
  let shown: string;
  try {
    shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    shown = typeof value;
  }
  return new SessionError(
    "ERR_SESSION_INVALID_ARGUMENT",
    `persistent must be true or false: ${shown.slice(0, 40)}`,
  );
}

/** A "keep me signed in" choice of `login`: true, false, or left out (undefined). */
function persistentChoice(value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw badPersistent(value);
}

/** False for `authTime: null` (a user bound without authenticating now). */
function loginAuthenticates(authTime: unknown): boolean {
  if (authTime === undefined) return true;
  if (authTime === null) return false;
  throw new SessionError(
    "ERR_SESSION_INVALID_ARGUMENT",
    `authTime must be null (unknown) or left out (now): ${String(authTime).slice(0, 40)}`,
  );
}

function instant(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `${name} must be epoch milliseconds (a non-negative integer): ${String(value).slice(0, 40)}`,
    );
  }
  return value;
}

/**
 * Where the absolute window of a login starts: now, or earlier when the
 * session began earlier (`createdAt`) or must end by `expiresBy`; never
 * later than now, so these options can only shorten a session's life.
 */
function loginCreatedAt(
  options: { createdAt?: number; expiresBy?: number },
  now: number,
  absoluteMs: number,
): number {
  const createdAt = instant("createdAt", options.createdAt);
  const expiresBy = instant("expiresBy", options.expiresBy);
  if (createdAt !== undefined && createdAt > now) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `createdAt must not be in the future: ${createdAt} > now ${now}`,
    );
  }
  let start = Math.min(now, createdAt ?? now);
  if (expiresBy !== undefined) start = Math.min(start, expiresBy - absoluteMs);
  if (start + absoluteMs <= now) {
    throw new SessionError(
      "ERR_SESSION_INVALID_ARGUMENT",
      `the session's absolute deadline (${start + absoluteMs}) has already passed (now ${now}): it cannot be logged in`,
    );
  }
  return start;
}

/** Where a session came from and what its commit must do. Private to the package. */
export class SessionImpl<Data extends object, Flash extends object>
  implements Session<Data, Flash>
{
  /** Raw token (stateful) or internal id (stateless); never leaves the process except in the cookie. */
  token: string | undefined;
  /** hashToken(token): the store key, and the `session` field of events. */
  key: string | undefined;
  /** Store entry version this request read; 0 when there is no entry. */
  version = 0;
  /** The entry's expiresAt as read, for touch decisions. */
  storeExpiresAt: number | undefined;
  record: SessionRecord;
  changes: Changes = NO_CHANGES;
  /** Whole-record write under a new token (new session, regenerate, login). */
  fresh: boolean;
  persistRequested = false;
  destroyed = false;
  /** This request minted or rotated the token (or must re-issue it): bearer mode hands it out. */
  tokenChanged: boolean;
  /** This request called destroy()/logout() (not a concurrent destroy): Clear-Site-Data applies. */
  loggedOut = false;
  /** Another request destroyed the entry before our write (LC-11). */
  concurrentlyDestroyed = false;
  /** The request carried a cookie for this session name (stale ones get cleared). */
  hadCookie: boolean;
  /** Cookies of this session the request carried (name to first value): what to clear or replace. */
  incoming: Record<string, string>;
  metaChanged = false;
  /**
   * `sessions.commit`/`commitHeaders` has started for this session (AD-04):
   * from here on every mutator throws `ERR_SESSION_COMMITTED`, because a change
   * could reach neither the store write already under way nor the cookie.
   */
  committed = false;
  /** Verified with a non-primary key: send a cookie made with the primary one (KEY-05, T-B39). */
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
    this.hadCookie = false;
    for (const _ in init.incoming) {
      this.hadCookie = true;
      break;
    }
    this.fresh = init.token === undefined;
    this.tokenChanged = this.reissue;
    if (init.meta) this.updateMeta(init.meta);
  }

  private updateMeta(meta: SessionMeta): void {
    // Only stores list sessions; a sealed cookie should not carry the client's IP around.
    if (this.ctx.store === undefined) return;
    const old = this.record.meta;
    const ua = meta.userAgent?.slice(0, 512) ?? old?.userAgent;
    const ip = meta.ip?.slice(0, 64) ?? old?.ip;
    // The binding check (DET-01) runs in load, before this session exists.
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
    return this.version === 0 && this.fresh;
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
    return this.destroyed || this.concurrentlyDestroyed;
  }

  /**
   * The one gate every mutating method passes first (AD-04, T-A06): adapters
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

  /** Deletes the current entry (if any) and moves to a new token, keeping the record. */
  private async rotate(): Promise<void> {
    const { store } = this.ctx;
    const previous = this.key;
    if (store !== undefined && previous !== undefined && this.version > 0) {
      try {
        await store.delete(previous);
      } catch (error) {
        reportStoreError(this.ctx, "delete", error, previous);
        throw error;
      }
    }
    if (
      store === undefined &&
      this.ctx.revocationStore !== undefined &&
      this.version > 0 &&
      this.record.sid !== undefined
    ) {
      // Stateless with revocation: the replaced sealed cookie must die too (LC-01).
      await denySession(this.ctx, this.record);
    }
    this.token = this.ctx.crypto.randomToken();
    this.key = this.ctx.crypto.hashToken(this.token);
    this.tokenChanged = true;
    if (this.ctx.store === undefined) this.record.sid = this.token;
    this.version = 0;
    this.storeExpiresAt = undefined;
    this.fresh = true;
    // A whole-record write follows; per-key changes are subsumed by it.
    this.changes = NO_CHANGES;
    if (previous !== undefined) {
      this.ctx.emit({
        type: "regenerated",
        at: this.ctx.now(),
        session: this.key,
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
    const carryOver = options.carryOver ?? [];
    if (!Array.isArray(carryOver)) {
      throw new SessionError("ERR_SESSION_INVALID_ARGUMENT", "carryOver must be an array of keys");
    }
    const authenticated = loginAuthenticates(options.authTime);
    const persistent = persistentChoice(options.persistent);
    // Decided before anything changes: a refused login leaves the session as it was.
    const createdAt = loginCreatedAt(options, this.ctx.now(), this.ctx.timeouts.absoluteMs);
    const sameUser = this.record.userId === userId;
    // Before rotating: a refused login must leave the current session as it was.
    await this.enforceLimit(userId);
    await this.rotate();
    const now = this.ctx.now();
    if (!sameUser) {
      const data: Bag = emptyBag();
      for (const key of carryOver) {
        if (key in this.record.data) data[key] = this.record.data[key];
      }
      this.record.data = data;
      delete this.record.flash;
      // Another user's "keep me signed in" is not this user's choice.
      delete this.record.persistent;
    }
    if (persistent !== undefined) this.record.persistent = persistent;
    this.record.userId = userId;
    if (authenticated) this.record.authTime = now;
    else delete this.record.authTime;
    // A real authentication supersedes an earlier revokeUser keep.
    delete this.record.keptAt;
    this.record.createdAt = Math.min(createdAt, now);
    this.record.lastSeenAt = now;
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

  private async enforceLimit(userId: string): Promise<void> {
    const { store, maxSessionsPerUser: max } = this.ctx;
    if (max === undefined || store === undefined || !supportsUserIndex(store)) return;
    let rows: UserSession[];
    try {
      rows = await store.listByUser(userId);
    } catch (error) {
      reportStoreError(this.ctx, "listByUser", error);
      throw error;
    }
    const others = rows.filter((row) => row.key !== this.key);
    const excess = others.length - max + 1;
    if (excess <= 0) return;
    if (this.ctx.sessionLimit === "reject") {
      throw new SessionError(
        "ERR_SESSION_LIMIT",
        `the user already holds ${others.length} sessions (maxSessionsPerUser ${max})`,
      );
    }
    // The entry expiring first is the one least recently active (expiry follows lastSeenAt).
    others.sort((a, b) => a.entry.expiresAt - b.entry.expiresAt);
    for (const row of others.slice(0, excess)) {
      try {
        await store.delete(row.key);
      } catch (error) {
        reportStoreError(this.ctx, "delete", error, row.key);
        throw error;
      }
      this.ctx.emit({ type: "destroyed", at: this.ctx.now(), session: row.key, reason: "evicted" });
    }
  }

  async destroy(): Promise<DestroyResult> {
    if (this.committed) throw committedError();
    const revocable = this.ctx.store !== undefined || this.ctx.revocationStore !== undefined;
    if (this.isDestroyed) return { serverSideRevoked: revocable };
    this.destroyed = true;
    this.loggedOut = true;
    const { store } = this.ctx;
    const key = this.key;
    if (store === undefined) {
      // A sealed cookie that was issued (loaded, or committed earlier) is denied by its sid.
      if (this.ctx.revocationStore !== undefined && this.version > 0 && this.record.sid) {
        await denySession(this.ctx, this.record);
      }
      if (key !== undefined) {
        this.ctx.emit({ type: "destroyed", at: this.ctx.now(), session: key, reason: "logout" });
      }
      return { serverSideRevoked: revocable };
    }
    if (key !== undefined && this.version > 0) {
      try {
        await store.delete(key);
      } catch (error) {
        reportStoreError(this.ctx, "delete", error, key);
        // Not forgotten: retried until the store answers, and refused to load meanwhile (T-D13).
        this.ctx.pending.add(key, () => store.delete(key));
        throw error;
      }
      this.ctx.emit({ type: "destroyed", at: this.ctx.now(), session: key, reason: "logout" });
    }
    return { serverSideRevoked: true };
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
    if (this.key === undefined) {
      this.token = this.ctx.crypto.randomToken();
      this.key = this.ctx.crypto.hashToken(this.token);
      this.tokenChanged = true;
      if (this.ctx.store === undefined) this.record.sid = this.token;
    }
    return this.key;
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
