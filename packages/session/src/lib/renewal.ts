import type { SessionStore } from "@tessera/store";
import { SessionError } from "../errors.js";
import type { Context } from "./context.js";
import { expiresAt } from "./expiry.js";
import type { SessionImpl } from "./session-impl.js";
import { deleteOrOwe, storeCall } from "./store-call.js";
import { toStored } from "./stored.js";

/**
 * A forwarding entry left under a renewed token's old store key (OWASP
 * Session Management, "Renewal Timeout"). The new token inside is sealed with
 * the keyring (AEAD, bound to the old key), so a store dump still holds no
 * usable token.
 */
export const FORWARD_PREFIX = "~fwd1.";
/** Seal context of forwarding entries; distinct from cookie names and the at-rest context. */
const FORWARD_CONTEXT = "tessera-renewal";
/** A sealed forward holds two ids and a time (about 400 characters): anything far longer is not one. */
const FORWARD_MAX_LENGTH = 2048;

export interface Forward {
  /** The token that replaced the old one. */
  token: string;
  /** Epoch ms until which the old token may still learn the new one. */
  graceEnd: number;
}

export function isForward(value: string): boolean {
  return value.startsWith(FORWARD_PREFIX);
}

/** The forward stored under `key`, or null when it does not open or belongs to another key. */
export async function openForward(
  ctx: Context,
  key: string,
  value: string,
  now: number,
): Promise<Forward | null> {
  const sealed = value.slice(FORWARD_PREFIX.length);
  const opened = await ctx.crypto.unseal(sealed, FORWARD_CONTEXT, now, FORWARD_MAX_LENGTH);
  if (!opened.ok) return null;
  const p = opened.value as { k?: unknown; t?: unknown; g?: unknown } | null;
  if (typeof p !== "object" || p === null || p.k !== key) return null;
  if (typeof p.t !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(p.t)) return null;
  if (typeof p.g !== "number" || !Number.isSafeInteger(p.g)) return null;
  return { token: p.t, graceEnd: p.g };
}

/** True when the session's token is older than `renewAfter`. */
export function renewalDue(ctx: Context, s: SessionImpl<object, object>, now: number): boolean {
  if (ctx.renewAfterMs === undefined || s.key === undefined || s.isDestroyed || s.version === 0) {
    return false;
  }
  return now - (s.record.issuedAt ?? s.record.createdAt) >= ctx.renewAfterMs;
}

/**
 * Moves the session to a new token: the record (data kept) is created under
 * the new key, then the old entry is replaced, by a versioned write, with a
 * forward that honours the old token for `renewGrace` and flags its reuse
 * afterwards. If another request changed the old entry meanwhile, the new
 * entry is removed and the old token kept; the next request renews.
 * Resolves to true when the session now holds the new token.
 */
export async function renew(
  ctx: Context,
  store: SessionStore,
  s: SessionImpl<object, object>,
  now: number,
): Promise<boolean> {
  const oldKey = s.key!;
  const token = ctx.crypto.randomToken();
  const key = ctx.crypto.hashToken(token);
  const record = { ...s.record, issuedAt: now, lastSeenAt: Math.max(s.record.lastSeenAt, now) };
  const deadline = expiresAt(record, record.lastSeenAt, ctx.timeouts);
  const value = await toStored(ctx, key, record, { deadline, now });
  const created = await storeCall(ctx, "set", key, () =>
    store.set(key, { value, expiresAt: deadline, userId: record.userId }, { expectVersion: 0 }),
  );
  if (!created.ok || created.version === 0) {
    throw new SessionError("ERR_SESSION_CONFLICT", "a renewed session's key already exists");
  }
  // The forward lives as long as the old token could have: reuse stays detectable.
  const graceEnd = now + ctx.renewGraceMs;
  const keepUntil = Math.max(deadline, graceEnd);
  const ttl = Math.max(1, Math.ceil((keepUntil - now) / 1000));
  const sealed = await ctx.crypto.seal(
    { k: oldKey, t: token, g: graceEnd },
    FORWARD_CONTEXT,
    ttl,
    now,
  );
  let replaced: Awaited<ReturnType<typeof store.set>>;
  try {
    replaced = await storeCall(ctx, "set", oldKey, () =>
      store.set(
        oldKey,
        { value: FORWARD_PREFIX + sealed, expiresAt: keepUntil },
        { expectVersion: s.version },
      ),
    );
  } catch (error) {
    ctx.pending.add(key, () => store.delete(key));
    throw error;
  }
  if (!replaced.ok || replaced.version === 0) {
    await deleteOrOwe(ctx, store, key);
    return false;
  }
  s.token = token;
  s.key = key;
  s.version = created.version;
  s.record = record;
  s.storeExpiresAt = deadline;
  s.tokenChanged = true;
  ctx.emit({ type: "regenerated", at: now, session: key, previous: oldKey });
  return true;
}
