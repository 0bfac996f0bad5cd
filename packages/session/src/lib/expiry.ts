import type { SessionRecord } from "./record.js";

/** Timeouts in milliseconds, validated by `resolveOptions`. */
export interface Timeouts {
  idleMs: number;
  absoluteMs: number;
  touchAfterMs: number;
}

/**
 * How far ahead of the server clock a record's `createdAt`/`authTime` may be
 * before it is treated as forged or from a broken clock.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type ExpiryVerdict = "expired_idle" | "expired_absolute" | "malformed" | null;

/**
 * The instant activity was last recorded. `touch` extends the store entry
 * without rewriting the record, so the entry's own deadline, which the manager
 * set to `lastSeenAt + idle` (or earlier), also proves activity.
 */
export function effectiveLastSeen(
  record: SessionRecord,
  t: Timeouts,
  storeExpiresAt?: number,
): number {
  if (storeExpiresAt === undefined) return record.lastSeenAt;
  return Math.max(record.lastSeenAt, storeExpiresAt - t.idleMs);
}

export function absoluteDeadline(record: SessionRecord, t: Timeouts): number {
  return record.createdAt + t.absoluteMs;
}

/** Store TTL and cookie lifetime: min(idle deadline, absolute deadline), so nothing outlives the session. */
export function expiresAt(record: SessionRecord, lastSeen: number, t: Timeouts): number {
  return Math.min(lastSeen + t.idleMs, absoluteDeadline(record, t));
}

/**
 * Server-side expiry decision from server-set timestamps only: nothing the
 * client sends can extend a session. A clock that moved back never grants lifetime beyond the stored
 * deadlines, because deadlines are absolute instants.
 */
export function checkExpiry(
  record: SessionRecord,
  now: number,
  t: Timeouts,
  storeExpiresAt?: number,
): ExpiryVerdict {
  if (record.createdAt > now + MAX_CLOCK_SKEW_MS) return "malformed";
  if (record.authTime !== undefined && record.authTime > now + MAX_CLOCK_SKEW_MS) {
    return "malformed";
  }
  if (now >= absoluteDeadline(record, t)) return "expired_absolute";
  if (now >= effectiveLastSeen(record, t, storeExpiresAt) + t.idleMs) return "expired_idle";
  return null;
}

/** Cookie `Max-Age` in whole seconds for a persistent cookie, rounded down so it never outlives the server. */
export function maxAgeSeconds(deadline: number, now: number): number {
  return Math.max(0, Math.floor((deadline - now) / 1000));
}
