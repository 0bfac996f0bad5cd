import { readBearerToken } from "@tessera/signing";
import type { SessionStore, StoreEntry } from "@tessera/store";
import type { RejectReason } from "../events.js";
import { type BindingChange, bindingChanges } from "./binding.js";
import type { Context } from "./context.js";
import { checkExpiry } from "./expiry.js";
import { readSessionCookies } from "./read-cookie.js";
import { emptyBag, type SessionMeta, type SessionRecord } from "./record.js";
import { isForward, openForward } from "./renewal.js";
import { SessionImpl } from "./session-impl.js";
import { deleteOrOwe, storeCall } from "./store-call.js";
import { fromStored, isStoreEntry } from "./stored.js";

/** A 256-bit token as base64url without padding: exactly what `randomToken` makes. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/**
 * A signed cookie value: base64url pieces and dots only, bounded in length,
 * checked before any MAC or store work so junk costs no crypto or round trip.
 */
const SIGNED = /^[A-Za-z0-9_.-]{43,256}$/;

/**
 * The token of an `Authorization` header, read with the one Bearer grammar
 * `@tessera/signing` holds: undefined when absent or another scheme (no
 * session, no rejection), "" when Bearer credentials do not parse (rejected
 * as malformed). Trailing whitespace is not part of a field value (RFC 9110
 * §5.5): a raw string an adapter passes may still carry it.
 */
export function readBearer(header: string): string | undefined {
  let end = header.length;
  while (end > 0 && (header.charCodeAt(end - 1) === 32 || header.charCodeAt(end - 1) === 9)) end--;
  const read = readBearerToken(end === header.length ? header : header.slice(0, end));
  if (read.ok) return read.token;
  return read.reason === "missing" ? undefined : "";
}

const NO_BINDING_CHANGE: readonly BindingChange[] = Object.freeze([]);

export function newRecord(now: number): SessionRecord {
  return { v: 1, createdAt: now, lastSeenAt: now, data: emptyBag() };
}

/** What one `load` call knows before it finds the session: shared by every step. */
export interface LoadRequest {
  ctx: Context;
  now: number;
  /** Cookies of this session the request carried, to clear or replace on commit. */
  incoming: Record<string, string>;
  meta: SessionMeta | undefined;
}

/** A new, empty session; with a reason, the request's cookie was refused (event and brute-force count). */
export function fresh<D extends object, F extends object>(
  req: LoadRequest,
  reason?: RejectReason,
  session?: string,
): SessionImpl<D, F> {
  const { ctx, now, meta } = req;
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
    incoming: req.incoming,
    ...(reason === undefined ? {} : { rejected: reason }),
    ...(meta === undefined ? {} : { meta }),
  });
}

/** Deletes an entry load found expired or revoked; the verdict already stands, so a failed delete is only owed. */
async function expire(req: LoadRequest, store: SessionStore, key: string): Promise<void> {
  await deleteOrOwe(req.ctx, store, key);
}

/** A store entry found for a verified token. */
interface Found {
  token: string;
  key: string;
  entry: StoreEntry;
  /** Verified with a non-primary key, or reached through a renewal forward: send a new cookie. */
  reissue: boolean;
  /** The request's cookie value, when it is exactly what signing the token with the primary key gives. */
  signed?: string | undefined;
}

/** Stored mode's `load`: verify the signed token, then read its entry. */
export async function loadStored<D extends object, F extends object>(
  ctx: Context,
  store: SessionStore,
  header: string,
  meta: SessionMeta | undefined,
): Promise<SessionImpl<D, F>> {
  const req: LoadRequest = { ctx, now: ctx.now(), incoming: Object.create(null), meta };
  let raw: string | undefined;
  if (ctx.tokenMode === "authorization") {
    raw = readBearer(header);
  } else {
    const read = readSessionCookies(header, ctx.cookie.name, false, ctx.cookieHeaderLimit);
    req.incoming = read.present;
    if (read.duplicate) return fresh(req, "duplicate_cookie");
    if (read.tooLarge) return fresh(req, "header_too_large");
    raw = read.value;
  }
  if (raw === undefined) return fresh(req);
  if (!SIGNED.test(raw)) return fresh(req, "malformed");
  const opened = ctx.crypto.unsignToken(raw);
  if (!opened.ok) return fresh(req, opened.reason);
  const token = opened.value;
  if (!TOKEN.test(token)) return fresh(req, "malformed");
  const key = ctx.crypto.hashToken(token);
  // Logged out while the store was failing: gone, whatever the store still holds.
  if (ctx.pending.has(key)) return fresh(req, "unknown_id", key);
  // An outage must not look like "no session": a fresh one would later overwrite real data.
  const entry = await storeCall(ctx, "get", key, () => store.get(key));
  if (entry === null) return fresh(req, "unknown_id", key);
  if (!isStoreEntry(entry)) return fresh(req, "malformed", key);
  if (isForward(entry.value)) return followForward(req, store, key, entry.value);
  // Verified with the primary key, the cookie is exactly what signing the token gives.
  const signed = opened.reissue ? undefined : raw;
  return open(req, store, { token, key, entry, reissue: opened.reissue, signed });
}

/**
 * A renewed token within its grace window learns the current session; after
 * it, the old token is a stale copy, possibly a stolen one (OWASP Session
 * Management, "Renewal Timeout").
 */
async function followForward<D extends object, F extends object>(
  req: LoadRequest,
  store: SessionStore,
  key: string,
  value: string,
): Promise<SessionImpl<D, F>> {
  const { ctx, now } = req;
  const fwd = await openForward(ctx, key, value, now);
  if (fwd === null) return fresh(req, "malformed", key);
  const nextKey = ctx.crypto.hashToken(fwd.token);
  if (now >= fwd.graceEnd) {
    ctx.emit({ type: "renewal_reuse", at: now, session: key, current: nextKey });
    return fresh(req, "renewal_reuse", key);
  }
  if (ctx.pending.has(nextKey)) return fresh(req, "unknown_id", key);
  const next = await storeCall(ctx, "get", nextKey, () => store.get(nextKey));
  if (next !== null && !isStoreEntry(next)) return fresh(req, "malformed", key);
  // One hop only: the grace window is for learning the current token, not for chains.
  if (next === null || isForward(next.value)) return fresh(req, "unknown_id", key);
  return open(req, store, { token: fwd.token, key: nextKey, entry: next, reissue: true });
}

/** Synchronous unless the value is encrypted at rest or the entry must be deleted: no promise on the hot path. */
function open<D extends object, F extends object>(
  req: LoadRequest,
  store: SessionStore,
  found: Found,
): SessionImpl<D, F> | Promise<SessionImpl<D, F>> {
  const record = fromStored(req.ctx, found.key, found.entry.value, req.now);
  if (record instanceof Promise) return record.then((r) => openRecord(req, store, found, r));
  return openRecord(req, store, found, record);
}

function openRecord<D extends object, F extends object>(
  req: LoadRequest,
  store: SessionStore,
  found: Found,
  record: SessionRecord | null,
): SessionImpl<D, F> | Promise<SessionImpl<D, F>> {
  const { ctx, now, meta } = req;
  const { key, entry } = found;
  if (record === null) return fresh(req, "malformed", key);
  const verdict = checkExpiry(record, now, ctx.timeouts, entry.expiresAt);
  if (verdict !== null) return expire(req, store, key).then(() => fresh<D, F>(req, verdict, key));
  const changed = ctx.binding === "off" ? NO_BINDING_CHANGE : bindingChanges(record.meta, meta);
  if (changed.length > 0 && ctx.binding === "revoke") {
    ctx.emit({ type: "binding_changed", at: now, session: key, changed: [...changed] });
    return expire(req, store, key).then(() => {
      ctx.emit({ type: "destroyed", at: now, session: key, reason: "revoked" });
      return fresh<D, F>(req, "binding_changed", key);
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
    // Log only: a changed network or browser is common and not proof of theft.
    ctx.emit({ type: "binding_changed", at: now, session: key, changed: [...changed] });
  }
  return new SessionImpl<D, F>(ctx, {
    record,
    token: found.token,
    key,
    reissue: found.reissue,
    version: entry.version,
    storeExpiresAt: entry.expiresAt,
    incoming: req.incoming,
    ...(found.signed === undefined ? {} : { signed: found.signed }),
    ...(meta === undefined ? {} : { meta }),
  });
}
