import type { StoreEntry } from "@tessera/store";
import type { RejectReason } from "../events.js";
import { type BindingChange, bindingChanges } from "./binding.js";
import type { Context } from "./context.js";
import { checkExpiry } from "./expiry.js";
import { readSessionCookies } from "./read-cookie.js";
import { emptyBag, type SessionMeta, type SessionRecord, validateRecord } from "./record.js";
import { isForward, openForward } from "./renewal.js";
import { isRevoked } from "./revocation.js";
import { SessionImpl } from "./session-impl.js";
import { reportStoreError } from "./store-call.js";
import { fromStored, isStoreEntry } from "./stored.js";

/** A 256-bit token as base64url without padding (SID-02, SID-06). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/**
 * A signed cookie value: base64url pieces and dots only, bounded in length,
 * checked before any MAC or store work (SID-06, DOS-01).
 */
const SIGNED = /^[A-Za-z0-9_.-]{43,256}$/;
/** Sealed stateless values are compact JWEs: five base64url segments. */
const SEALED = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/;

const NO_BINDING_CHANGE: readonly BindingChange[] = Object.freeze([]);

export function newRecord(now: number): SessionRecord {
  return { v: 1, createdAt: now, lastSeenAt: now, data: emptyBag() };
}

function fresh<D extends object, F extends object>(
  ctx: Context,
  now: number,
  incoming: Record<string, string>,
  meta: SessionMeta | undefined,
  reason?: RejectReason,
  session?: string,
): SessionImpl<D, F> {
  if (reason !== undefined) {
    ctx.emit({
      type: "rejected",
      at: now,
      reason,
      ...(session === undefined ? {} : { session }),
    });
    ctx.noteRejected(reason, meta?.ip, now);
  }
  return new SessionImpl<D, F>(ctx, {
    record: newRecord(now),
    incoming,
    ...(reason === undefined ? {} : { rejected: reason }),
    ...(meta === undefined ? {} : { meta }),
  });
}

async function expire(ctx: Context, key: string): Promise<void> {
  if (ctx.store === undefined) return;
  try {
    await ctx.store.delete(key);
  } catch (error) {
    // The server-side verdict already stands; the delete is retried (T-D13).
    reportStoreError(ctx, "delete", error, key);
    const store = ctx.store;
    ctx.pending.add(key, () => store.delete(key));
  }
}

/**
 * `Authorization: Bearer <token>`: scheme case-insensitive (RFC 9110 §11.1),
 * one or more spaces (RFC 6750 §2.1 `"Bearer" 1*SP b64token`). Our tokens use
 * the base64url alphabet plus `.`, a subset of b64token.
 */
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([^ ]*) *$/;

/** The token of an Authorization header: undefined when absent or another scheme, "" when unusable. */
export function readBearer(header: string): string | undefined {
  if (header === "") return undefined;
  const match = BEARER.exec(header);
  if (match === null) return /^[Bb][Ee][Aa][Rr][Ee][Rr]( |$)/.test(header) ? "" : undefined;
  return match[1]!;
}

export async function loadStateful<D extends object, F extends object>(
  ctx: Context,
  header: string,
  meta: SessionMeta | undefined,
): Promise<SessionImpl<D, F>> {
  const now = ctx.now();
  const store = ctx.store!;
  let incoming: Record<string, string> = Object.create(null);
  let raw: string | undefined;
  if (ctx.tokenMode === "authorization") {
    raw = readBearer(header);
  } else {
    const read = readSessionCookies(header, ctx.cookie.name, false, ctx.cookieHeaderLimit);
    incoming = read.present;
    if (read.duplicate) return fresh(ctx, now, incoming, meta, "duplicate_cookie");
    if (read.tooLarge) return fresh(ctx, now, incoming, meta, "header_too_large");
    raw = read.value;
  }
  if (raw === undefined) return fresh(ctx, now, incoming, meta);
  if (!SIGNED.test(raw)) return fresh(ctx, now, incoming, meta, "malformed");
  const opened = ctx.crypto.unsignToken(raw);
  if (!opened.ok) return fresh(ctx, now, incoming, meta, opened.reason);
  const token = opened.value;
  if (!TOKEN.test(token)) return fresh(ctx, now, incoming, meta, "malformed");
  const key = ctx.crypto.hashToken(token);
  // Logged out while the store was failing: gone, whatever the store still holds.
  if (ctx.pending.has(key)) return fresh(ctx, now, incoming, meta, "unknown_id", key);
  let entry: Awaited<ReturnType<typeof store.get>>;
  try {
    entry = await store.get(key);
  } catch (error) {
    // An outage must not look like "no session": a fresh one would later overwrite real data.
    reportStoreError(ctx, "get", error, key);
    throw error;
  }
  if (entry === null) return fresh(ctx, now, incoming, meta, "unknown_id", key);
  if (!isStoreEntry(entry)) return fresh(ctx, now, incoming, meta, "malformed", key);
  if (isForward(entry.value)) {
    const fwd = await openForward(ctx, key, entry.value, now);
    if (fwd === null) return fresh(ctx, now, incoming, meta, "malformed", key);
    const nextKey = ctx.crypto.hashToken(fwd.token);
    if (now >= fwd.graceEnd) {
      // A renewed token after its grace window: a stale copy, possibly a stolen one (LC-05).
      ctx.emit({ type: "renewal_reuse", at: now, session: key, current: nextKey });
      return fresh(ctx, now, incoming, meta, "renewal_reuse", key);
    }
    if (ctx.pending.has(nextKey)) return fresh(ctx, now, incoming, meta, "unknown_id", key);
    let next: Awaited<ReturnType<typeof store.get>>;
    try {
      next = await store.get(nextKey);
    } catch (error) {
      reportStoreError(ctx, "get", error, nextKey);
      throw error;
    }
    if (next !== null && !isStoreEntry(next)) {
      return fresh(ctx, now, incoming, meta, "malformed", key);
    }
    // One hop only: the grace window is for learning the current token, not for chains.
    if (next === null || isForward(next.value)) {
      return fresh(ctx, now, incoming, meta, "unknown_id", key);
    }
    return open(ctx, now, incoming, meta, fwd.token, nextKey, next, true);
  }
  // Verified with the primary key, the cookie is exactly what signing the token gives.
  const signed = opened.reissue ? undefined : raw;
  return open(ctx, now, incoming, meta, token, key, entry, opened.reissue, signed);
}

/** Synchronous unless the value is encrypted at rest or the entry must be deleted: no promise on the hot path. */
function open<D extends object, F extends object>(
  ctx: Context,
  now: number,
  incoming: Record<string, string>,
  meta: SessionMeta | undefined,
  token: string,
  key: string,
  entry: StoreEntry,
  reissue: boolean,
  signed?: string,
): SessionImpl<D, F> | Promise<SessionImpl<D, F>> {
  const record = fromStored(ctx, key, entry.value, now);
  if (record instanceof Promise) {
    return record.then((r) =>
      openRecord(ctx, now, incoming, meta, token, key, entry, reissue, r, signed),
    );
  }
  return openRecord(ctx, now, incoming, meta, token, key, entry, reissue, record, signed);
}

function openRecord<D extends object, F extends object>(
  ctx: Context,
  now: number,
  incoming: Record<string, string>,
  meta: SessionMeta | undefined,
  token: string,
  key: string,
  entry: StoreEntry,
  reissue: boolean,
  record: SessionRecord | null,
  signed?: string,
): SessionImpl<D, F> | Promise<SessionImpl<D, F>> {
  if (record === null) return fresh(ctx, now, incoming, meta, "malformed", key);
  const verdict = checkExpiry(record, now, ctx.timeouts, entry.expiresAt);
  if (verdict !== null) {
    return expire(ctx, key).then(() => fresh<D, F>(ctx, now, incoming, meta, verdict, key));
  }
  const changed = ctx.binding === "off" ? NO_BINDING_CHANGE : bindingChanges(record.meta, meta);
  if (changed.length > 0 && ctx.binding === "revoke") {
    ctx.emit({ type: "binding_changed", at: now, session: key, changed: [...changed] });
    return expire(ctx, key).then(() => {
      ctx.emit({ type: "destroyed", at: now, session: key, reason: "revoked" });
      return fresh<D, F>(ctx, now, incoming, meta, "binding_changed", key);
    });
  }
  if (ctx.listening) {
    ctx.emit({
      type: "loaded",
      at: now,
      session: key,
      ...(record.userId === undefined ? {} : { userId: record.userId }),
    });
  }
  if (changed.length > 0) {
    // Log-only (DET-01): a changed network or browser is common and not proof of theft.
    ctx.emit({ type: "binding_changed", at: now, session: key, changed: [...changed] });
  }
  return new SessionImpl<D, F>(ctx, {
    record,
    token,
    key,
    reissue,
    version: entry.version,
    storeExpiresAt: entry.expiresAt,
    incoming,
    ...(signed === undefined ? {} : { signed }),
    ...(meta === undefined ? {} : { meta }),
  });
}

export async function loadStateless<D extends object, F extends object>(
  ctx: Context,
  header: string,
  meta: SessionMeta | undefined,
): Promise<SessionImpl<D, F>> {
  const now = ctx.now();
  const read = readSessionCookies(header, ctx.cookie.name, true, ctx.cookieHeaderLimit);
  const incoming = read.present;
  if (read.duplicate) return fresh(ctx, now, incoming, meta, "duplicate_cookie");
  if (read.tooLarge) return fresh(ctx, now, incoming, meta, "header_too_large");
  const sealed = read.value;
  if (sealed === undefined) {
    // Cookies of ours that do not reassemble are malformed; no cookie at all is simply no session.
    const any = Object.keys(incoming).length > 0;
    return fresh(ctx, now, incoming, meta, any ? "malformed" : undefined);
  }
  // The writer keeps all chunks within maxCookieSize, so no longer value is ours.
  if (sealed.length > ctx.maxCookieSize || !SEALED.test(sealed)) {
    return fresh(ctx, now, incoming, meta, "malformed");
  }
  const opened = await ctx.crypto.unseal(sealed, ctx.cookie.name, now, ctx.maxCookieSize);
  if (!opened.ok) return fresh(ctx, now, incoming, meta, opened.reason);
  const record = validateRecord(opened.value, ctx.maxDepth);
  if (record === null || record.sid === undefined || !TOKEN.test(record.sid)) {
    return fresh(ctx, now, incoming, meta, "malformed");
  }
  const key = ctx.crypto.hashToken(record.sid);
  const verdict = checkExpiry(record, now, ctx.timeouts);
  if (verdict !== null) return fresh(ctx, now, incoming, meta, verdict, key);
  if (ctx.revocationStore !== undefined && (await isRevoked(ctx, record))) {
    return fresh(ctx, now, incoming, meta, "revoked", key);
  }
  ctx.emit({
    type: "loaded",
    at: now,
    session: key,
    ...(record.userId === undefined ? {} : { userId: record.userId }),
  });
  return new SessionImpl<D, F>(ctx, {
    record,
    token: record.sid,
    key,
    reissue: opened.reissue,
    version: 1,
    incoming,
    ...(meta === undefined ? {} : { meta }),
  });
}
