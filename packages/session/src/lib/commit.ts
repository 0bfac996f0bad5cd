import type { SessionStore } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { AnySession } from "./backend.js";
import { mergeInto, NO_CHANGES } from "./changes.js";
import type { Context } from "./context.js";
import { effectiveLastSeen, expiresAt, maxAgeSeconds } from "./expiry.js";
import type { SessionRecord } from "./record.js";
import { isForward, openForward, renew, renewalDue } from "./renewal.js";
import { clearSetCookies } from "./set-cookie.js";
import { storeCall } from "./store-call.js";
import { fromStored, isStoreEntry, toStored } from "./stored.js";

/** The session's own "keep me signed in" choice, else the `cookie.persistent` option. */
export function persistentCookie(ctx: Context, s: AnySession): boolean {
  return s.record.persistent ?? ctx.cookie.persistent;
}

function cookieFor(ctx: Context, s: AnySession, deadline: number, now: number): string {
  const maxAge = persistentCookie(ctx, s) ? maxAgeSeconds(deadline, now) : undefined;
  // The cookie this request arrived with, when it already is what signing would produce.
  const signed = s.signedFor === s.token && s.signed !== undefined ? s.signed : undefined;
  return ctx.writeSessionCookie(signed ?? ctx.crypto.signToken(s.token!), maxAge);
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

export function takeReissue(s: AnySession): boolean {
  const reissue = s.reissue;
  s.reissue = false;
  return reissue;
}

/** A new session is written only when it holds something, was asked to persist, or all are saved. */
export function wanted(ctx: Context, s: AnySession): boolean {
  return s.hasContent() || s.persistRequested || ctx.saveUninitialized;
}

export function nothingToStore(ctx: Context, s: AnySession): string[] {
  // A rejected or abandoned cookie is dropped from the browser too.
  return s.hadCookie ? clearSetCookies(ctx.cookie, s.incoming) : [];
}

/** Replays this request's changes onto the record another request wrote meanwhile, at its version. */
function mergeOwnChanges(s: AnySession, base: SessionRecord, version: number): void {
  const meta = s.metaChanged ? s.record.meta : undefined;
  s.record = mergeInto(base, s.changes, s.record.lastSeenAt, meta);
  s.version = version;
}

/** Stored mode's commit: create, merge-write or touch the entry, then renew the token when due. */
export function commitStored(ctx: Context, store: SessionStore, s: AnySession): Promise<string[]> {
  // No renewal configured: hand back the write's own promise, no extra layer.
  if (ctx.renewAfterMs === undefined) return writeStored(ctx, store, s);
  return writeThenRenew(ctx, store, s);
}

async function writeThenRenew(ctx: Context, store: SessionStore, s: AnySession): Promise<string[]> {
  const lines = await writeStored(ctx, store, s);
  const now = ctx.now();
  if (!renewalDue(ctx, s, now) || !(await renew(ctx, store, s, now))) return lines;
  s.reissue = false;
  return [cookieFor(ctx, s, s.storeExpiresAt!, now)];
}

async function writeStored(ctx: Context, store: SessionStore, s: AnySession): Promise<string[]> {
  // Found deleted by another request in an earlier commit: nothing more to write.
  if (s.state === "gone") return [];
  if (s.state === "loggedOutCommitted") return nothingToStore(ctx, s);
  const now = ctx.now();
  if (s.version === 0) {
    if (!wanted(ctx, s)) return nothingToStore(ctx, s);
    const key = s.ensureIdentity();
    s.record.lastSeenAt = Math.max(s.record.lastSeenAt, now);
    if (ctx.renewAfterMs !== undefined) s.record.issuedAt = now;
    const deadline = expiresAt(s.record, s.record.lastSeenAt, ctx.timeouts);
    const stored = toStored(ctx, key, s.record, { deadline, now });
    const value = typeof stored === "string" ? stored : await stored;
    const entry = { value, expiresAt: deadline, userId: s.record.userId };
    const result = await storeCall(ctx, "set", key, () =>
      store.set(key, entry, { expectVersion: 0 }),
    );
    if (!result.ok || result.version === 0) {
      throw new SessionError(
        "ERR_SESSION_CONFLICT",
        "a new session's key already exists (token collision or a broken store)",
      );
    }
    s.version = result.version;
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
      const encoded = toStored(ctx, key, s.record, { deadline, now });
      const value = typeof encoded === "string" ? encoded : await encoded;
      const entry = { value, expiresAt: deadline, userId: s.record.userId };
      const expectVersion = s.version;
      const result = await storeCall(ctx, "set", key, () =>
        store.set(key, entry, { expectVersion }),
      );
      if (result.ok) {
        if (result.version === 0) {
          // The store dropped an entry whose deadline had passed: the session ended.
          s.state = "gone";
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
        // Another request renewed the token meanwhile: follow it, keep our changes.
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
            mergeOwnChanges(s, record, next.version);
            continue;
          }
        }
      }
      const stored = current === null ? null : await fromStored(ctx, key, current.value, now);
      if (current === null || stored === null) {
        // Destroyed by another request (logout): never resurrect it by writing it back.
        s.state = "gone";
        ctx.emit({ type: "destroyed", at: now, session: key, reason: "concurrent_destroy" });
        return [];
      }
      mergeOwnChanges(s, stored, current.version);
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
