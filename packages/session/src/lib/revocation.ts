import type { SessionStore } from "@tessera/store";
import type { Context } from "./context.js";
import { absoluteDeadline } from "./expiry.js";
import type { SessionRecord } from "./record.js";
import { reportStoreError } from "./store-call.js";

/**
 * Server-side revocation of sealed (stateless) sessions, SECURITY decision 4,
 * SL-03, JWT-11: a deny entry per session id and a `notBefore` per user, in a
 * small store. Keys come from the sealed payload (`sid`, `userId`), never
 * from the cookie string, so a re-encoded copy of the same token (an appended
 * `=`, flipped padding bits) is still revoked (KEY-07, T-B37).
 */
const DENY = "tessera-revoked-sid:";
const NOT_BEFORE = "tessera-revoked-user:";

export function denyKey(ctx: Context, sid: string): string {
  return ctx.crypto.hashToken(DENY + sid);
}

export function notBeforeKey(ctx: Context, userId: string): string {
  return ctx.crypto.hashToken(NOT_BEFORE + userId);
}

async function read(ctx: Context, store: SessionStore, key: string) {
  try {
    return await store.get(key);
  } catch (error) {
    // Fail closed: an unreachable revocation list must not admit anyone (ERR-02).
    reportStoreError(ctx, "get", error, key);
    throw error;
  }
}

/**
 * The instant a user's `notBefore` is compared with: the last real
 * authentication (`authTime`, or `createdAt` for a record without one) or the
 * moment `revokeUser(..., { except })` kept this session. Never `lastSeenAt`:
 * every routine re-seal moves it, so a request that loaded a stolen cookie
 * before the revocation and re-sealed it after would outlive the revocation.
 * Records sealed before `keptAt` existed fall back to their authentication
 * instant, which refuses them (secure default).
 */
export function grantedAt(record: SessionRecord): number {
  const authenticated = record.authTime ?? record.createdAt;
  return record.keptAt !== undefined && record.keptAt > authenticated
    ? record.keptAt
    : authenticated;
}

/** The `notBefore` of a per-user entry, or undefined when the entry is not one the manager wrote. */
function notBeforeOf(entry: unknown): number | undefined {
  const value = (entry as { value?: unknown } | null | undefined)?.value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed = JSON.parse(value) as { notBefore?: unknown } | null;
    const notBefore = parsed?.notBefore;
    return typeof notBefore === "number" && Number.isFinite(notBefore) ? notBefore : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the sealed record was revoked: its id denied, or its user's
 * `notBefore` is later than {@link grantedAt}. Whatever the store answers
 * besides `null` under the deny key, and any per-user entry it answers that
 * does not hold a readable `notBefore`, counts as revoked: a broken
 * revocation store fails closed, never open, and never throws.
 */
export async function isRevoked(ctx: Context, record: SessionRecord): Promise<boolean> {
  const store = ctx.revocationStore!;
  const deny = denyKey(ctx, record.sid!);
  if (ctx.pending.has(deny)) return true;
  const user = record.userId === undefined ? undefined : notBeforeKey(ctx, record.userId);
  if (user !== undefined && ctx.pending.has(user)) return true;
  const [denied, nbf] = await Promise.all([
    read(ctx, store, deny),
    user === undefined ? null : read(ctx, store, user),
  ]);
  if (denied !== null) return true;
  if (nbf === null) return false;
  const notBefore = notBeforeOf(nbf);
  return notBefore === undefined || grantedAt(record) < notBefore;
}

async function write(ctx: Context, key: string, value: string, until: number): Promise<void> {
  const store = ctx.revocationStore!;
  const op = async () => {
    const result = await store.set(key, { value, expiresAt: until });
    if (!result.ok) throw new Error("revocation write refused");
  };
  try {
    await op();
  } catch (error) {
    reportStoreError(ctx, "set", error, key);
    // Owed, retried, and enforced in this process meanwhile (T-D13).
    ctx.pending.add(key, op, "set");
    throw error;
  }
}

/** Denies one sealed session until it would have expired anyway. */
export function denySession(ctx: Context, record: SessionRecord): Promise<void> {
  const until = absoluteDeadline(record, ctx.timeouts);
  return write(ctx, denyKey(ctx, record.sid!), '{"v":1,"revoked":true}', until);
}

/** Every sealed session of `userId` sealed before `now` is revoked. */
export function revokeUserBefore(ctx: Context, userId: string, now: number): Promise<void> {
  const until = now + ctx.timeouts.absoluteMs;
  return write(ctx, notBeforeKey(ctx, userId), JSON.stringify({ v: 1, notBefore: now }), until);
}
