import type { SetResult } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { SessionData } from "../session.js";
import { mergeInto, NO_CHANGES } from "./changes.js";
import type { Context } from "./context.js";
import { absoluteDeadline, effectiveLastSeen, expiresAt, maxAgeSeconds } from "./expiry.js";
import { isForward, openForward, renew, renewalDue } from "./renewal.js";
import { isRevoked } from "./revocation.js";
import type { SessionImpl } from "./session-impl.js";
import { clearSetCookies, sealedSetCookies } from "./set-cookie.js";
import { reportStoreError } from "./store-call.js";
import { encodeChecked, fromStored, isStoreEntry, toStored } from "./stored.js";

type AnySession = SessionImpl<SessionData, SessionData>;

/** The session's own "keep me signed in" choice, else the `cookie.persistent` option. */
function persistentCookie(ctx: Context, s: AnySession): boolean {
  return s.record.persistent ?? ctx.cookie.persistent;
}

function cookieFor(ctx: Context, s: AnySession, deadline: number, now: number): string {
  const maxAge = persistentCookie(ctx, s) ? maxAgeSeconds(deadline, now) : undefined;
  // The cookie this request arrived with, when it already is what signing would produce.
  const signed = s.signedFor === s.token && s.signed !== undefined ? s.signed : undefined;
  return ctx.writeSessionCookie(signed ?? ctx.crypto.signToken(s.token!), maxAge);
}

async function storeCall<T>(
  ctx: Context,
  operation: "get" | "set" | "touch",
  key: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    reportStoreError(ctx, operation, error, key);
    throw error;
  }
}

/** Backoff between merge retries: full jitter over 1 ms doubling, capped at 50 ms. */
const RETRY_BASE_MS = 1;
const RETRY_CAP_MS = 50;

/**
 * Waits a random time in [0, min(cap, base * 2^attempt)) ms ("full jitter",
 * as in AWS's "Exponential Backoff and Jitter"): writers that conflicted
 * together retry at different moments instead of colliding again in
 * lock-step, which immediate retries did on networked stores (the harness
 * saw 2-5 of 20 parallel writers fail). setTimeout exists on every runtime.
 */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
  // Web Crypto rather than Math.random: the package keeps one source of randomness (size test).
  const unit = crypto.getRandomValues(new Uint16Array(1))[0]! / 65_536;
  return new Promise((resolve) => setTimeout(resolve, unit * ceiling));
}

function takeReissue(s: AnySession): boolean {
  const reissue = s.reissue;
  s.reissue = false;
  return reissue;
}

function wanted(ctx: Context, s: AnySession): boolean {
  return s.hasContent() || s.persistRequested || ctx.saveUninitialized;
}

function nothingToStore(ctx: Context, s: AnySession): string[] {
  // A rejected or abandoned cookie is dropped from the browser too.
  return s.hadCookie ? clearSetCookies(ctx.cookie, s.incoming) : [];
}

export function commitStateful(ctx: Context, s: AnySession): Promise<string[]> {
  // No renewal configured: hand back the write's own promise, no extra layer.
  if (ctx.renewAfterMs === undefined) return writeStateful(ctx, s);
  return writeThenRenew(ctx, s);
}

async function writeThenRenew(ctx: Context, s: AnySession): Promise<string[]> {
  const lines = await writeStateful(ctx, s);
  const now = ctx.now();
  if (!renewalDue(ctx, s, now) || !(await renew(ctx, s, now))) return lines;
  s.reissue = false;
  return [cookieFor(ctx, s, s.storeExpiresAt!, now)];
}

async function writeStateful(ctx: Context, s: AnySession): Promise<string[]> {
  if (s.concurrentlyDestroyed) return [];
  if (s.destroyed) return nothingToStore(ctx, s);
  const store = ctx.store!;
  const now = ctx.now();
  if (s.fresh) {
    if (!wanted(ctx, s)) return nothingToStore(ctx, s);
    const key = s.ensureIdentity();
    s.record.lastSeenAt = Math.max(s.record.lastSeenAt, now);
    if (ctx.renewAfterMs !== undefined) s.record.issuedAt = now;
    const deadline = expiresAt(s.record, s.record.lastSeenAt, ctx.timeouts);
    const stored = toStored(ctx, key, s.record, deadline, now);
    const value = typeof stored === "string" ? stored : await stored;
    const entry = { value, expiresAt: deadline, userId: s.record.userId };
    let result: SetResult;
    try {
      result = await store.set(key, entry, { expectVersion: 0 });
    } catch (error) {
      reportStoreError(ctx, "set", error, key);
      throw error;
    }
    if (!result.ok || result.version === 0) {
      throw new SessionError(
        "ERR_SESSION_CONFLICT",
        "a new session's key already exists (token collision or a broken store)",
      );
    }
    s.version = result.version;
    s.fresh = false;
    s.changes = NO_CHANGES;
    s.metaChanged = false;
    s.storeExpiresAt = deadline;
    ctx.emit({ type: "created", at: now, session: key });
    return [cookieFor(ctx, s, deadline, now)];
  }

  let key = s.key!;
  if (s.isDirty()) {
    s.record.lastSeenAt = Math.max(s.record.lastSeenAt, now);
    for (let attempt = 0; ; attempt++) {
      const deadline = expiresAt(s.record, s.record.lastSeenAt, ctx.timeouts);
      const encoded = toStored(ctx, key, s.record, deadline, now);
      const value = typeof encoded === "string" ? encoded : await encoded;
      const entry = { value, expiresAt: deadline, userId: s.record.userId };
      // Inline rather than through storeCall: one closure and one promise layer less per write.
      let result: SetResult;
      try {
        result = await store.set(key, entry, { expectVersion: s.version });
      } catch (error) {
        reportStoreError(ctx, "set", error, key);
        throw error;
      }
      if (result.ok) {
        if (result.version === 0) {
          // The store dropped an entry whose deadline had passed: the session ended.
          s.concurrentlyDestroyed = true;
          return clearSetCookies(ctx.cookie, s.incoming);
        }
        s.version = result.version;
        s.changes = NO_CHANGES;
        s.metaChanged = false;
        s.storeExpiresAt = deadline;
        return persistentCookie(ctx, s) || takeReissue(s) ? [cookieFor(ctx, s, deadline, now)] : [];
      }
      ctx.emit({ type: "conflict", at: now, session: key, attempt: attempt + 1 });
      if (attempt >= ctx.maxRetries) {
        throw new SessionError(
          "ERR_SESSION_CONFLICT",
          `session write still conflicted after ${ctx.maxRetries} merge retries`,
        );
      }
      await backoff(attempt);
      const answer = await storeCall(ctx, "get", key, () => store.get(key));
      // An entry without the contract's shape reads as gone (never merged into or rewritten).
      const current = isStoreEntry(answer) ? answer : null;
      if (current !== null && isForward(current.value)) {
        // Another request renewed the token meanwhile: follow it, keep our changes (LC-05).
        const fwd = await openForward(ctx, key, current.value, now);
        if (fwd !== null && now < fwd.graceEnd) {
          const nextKey = ctx.crypto.hashToken(fwd.token);
          const nextAnswer = await storeCall(ctx, "get", nextKey, () => store.get(nextKey));
          const next = isStoreEntry(nextAnswer) ? nextAnswer : null;
          const record =
            next === null || isForward(next.value)
              ? null
              : await fromStored(ctx, nextKey, next.value, now);
          if (next !== null && record !== null) {
            s.token = fwd.token;
            s.key = key = nextKey;
            s.tokenChanged = true;
            s.reissue = true;
            s.record = mergeInto(
              record,
              s.changes,
              s.record.lastSeenAt,
              s.metaChanged ? s.record.meta : undefined,
            );
            s.version = next.version;
            continue;
          }
        }
      }
      const stored = current === null ? null : await fromStored(ctx, key, current.value, now);
      if (current === null || stored === null) {
        // Destroyed by another request (logout): never resurrect it (LC-11, T-D19).
        s.concurrentlyDestroyed = true;
        ctx.emit({ type: "destroyed", at: now, session: key, reason: "concurrent_destroy" });
        return [];
      }
      s.record = mergeInto(
        stored,
        s.changes,
        s.record.lastSeenAt,
        s.metaChanged ? s.record.meta : undefined,
      );
      s.version = current.version;
    }
  }

  // Unchanged: at most one cheap touch per touchAfter, and none that cannot extend anything.
  const deadline = expiresAt(s.record, now, ctx.timeouts);
  const lastSeen = effectiveLastSeen(s.record, ctx.timeouts, s.storeExpiresAt);
  const current = s.storeExpiresAt ?? 0;
  if (now - lastSeen < ctx.timeouts.touchAfterMs || deadline <= current) {
    return takeReissue(s) ? [cookieFor(ctx, s, current, now)] : [];
  }
  await storeCall(ctx, "touch", key, () => store.touch(key, deadline));
  s.storeExpiresAt = deadline;
  return persistentCookie(ctx, s) || takeReissue(s) ? [cookieFor(ctx, s, deadline, now)] : [];
}

/**
 * Stateless with `revocationStore`: is the session about to be re-sealed
 * revoked by now? Load checked it, but a `revokeUser` or logout may have
 * landed while the request ran. A new anonymous session has nothing to
 * revoke and costs no read; a store outage rejects (fail closed).
 */
function revokedMeanwhile(ctx: Context, s: AnySession): boolean | Promise<boolean> {
  if (ctx.revocationStore === undefined || s.record.sid === undefined) return false;
  if (s.fresh && s.record.userId === undefined) return false;
  return isRevoked(ctx, s.record);
}

export async function commitStateless(ctx: Context, s: AnySession): Promise<string[]> {
  if (s.destroyed || s.concurrentlyDestroyed) return nothingToStore(ctx, s);
  const now = ctx.now();
  if (s.fresh && !wanted(ctx, s)) return nothingToStore(ctx, s);
  const due = now - s.record.lastSeenAt >= ctx.timeouts.touchAfterMs;
  if (!s.fresh && !s.isDirty() && !due && !takeReissue(s)) return [];
  const revoked = revokedMeanwhile(ctx, s);
  // No extra await on the common path (no revocation store, or a new anonymous session).
  if (revoked !== false && (await revoked)) {
    // Revoked after this request loaded it (revokeUser, or a logout elsewhere):
    // the request ran as the user, but its response must not carry a cookie
    // for the revoked session; it clears the one it came with instead.
    s.concurrentlyDestroyed = true;
    ctx.emit({ type: "destroyed", at: now, session: s.key!, reason: "revoked" });
    return clearSetCookies(ctx.cookie, s.incoming);
  }
  const wasFresh = s.fresh;
  const key = s.ensureIdentity();
  s.record.lastSeenAt = Math.max(s.record.lastSeenAt, now);
  const deadline = expiresAt(s.record, s.record.lastSeenAt, ctx.timeouts);
  encodeChecked(ctx, s.record);
  // The seal expires at the absolute deadline; idle expiry is judged from the
  // record's lastSeenAt, and the record stays the authority for both (SL-02).
  const ttl = Math.max(1, Math.ceil((absoluteDeadline(s.record, ctx.timeouts) - now) / 1000));
  const sealed = await ctx.crypto.seal(s.record, ctx.cookie.name, ttl, now);
  const maxAge = persistentCookie(ctx, s) ? maxAgeSeconds(deadline, now) : undefined;
  const cookies = sealedSetCookies(ctx.cookie, sealed, s.incoming, ctx.maxCookieSize, maxAge);
  s.fresh = false;
  s.version = 1;
  s.changes = NO_CHANGES;
  s.metaChanged = false;
  if (wasFresh) ctx.emit({ type: "created", at: now, session: key });
  return cookies;
}
