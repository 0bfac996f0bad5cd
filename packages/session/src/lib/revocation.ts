import type { SessionStore } from "@tessera/store";
import type { Context } from "./context.js";
import { absoluteDeadline } from "./expiry.js";
import type { SessionRecord } from "./record.js";
import { reportStoreError, storeCall } from "./store-call.js";

/**
 * Server-side revocation of sealed (stateless) sessions, SECURITY decision 4:
 * a deny entry per session id and a `notBefore` per user, in a small store,
 * since a self-contained token cannot be recalled otherwise. Keys come from
 * the sealed payload (`sid`, `userId`), never from the cookie string, so a
 * re-encoded copy of the same token (an appended `=`, flipped padding bits)
 * is still revoked.
 */
const DENY = "tessera-revoked-sid:";
const NOT_BEFORE = "tessera-revoked-user:";

export function denyKey(ctx: Context, sid: string): string {
  return ctx.crypto.hashToken(DENY + sid);
}

export function notBeforeKey(ctx: Context, userId: string): string {
  return ctx.crypto.hashToken(NOT_BEFORE + userId);
}

/** Fail closed: an unreachable revocation list rejects the request, never admits anyone. */
function read(ctx: Context, store: SessionStore, key: string) {
  return storeCall(ctx, "get", key, () => store.get(key));
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
export async function isRevoked(
  ctx: Context,
  store: SessionStore,
  record: SessionRecord,
): Promise<boolean> {
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

/** One revocation entry: a deny of a session id, or a per-user `notBefore`. */
interface RevocationEntry {
  key: string;
  value: string;
  until: number;
}

async function write(ctx: Context, store: SessionStore, entry: RevocationEntry): Promise<void> {
  const { key, value, until } = entry;
  const op = async () => {
    const result = await store.set(key, { value, expiresAt: until });
    if (!result.ok) throw new Error("revocation write refused");
  };
  try {
    await op();
  } catch (error) {
    reportStoreError(ctx, "set", error, key);
    // Owed, retried, and enforced in this process meanwhile: a failed revocation is never dropped.
    ctx.pending.add(key, op, "set");
    throw error;
  }
}

/** Denies one sealed session until it would have expired anyway. */
export function denySession(
  ctx: Context,
  store: SessionStore,
  record: SessionRecord,
): Promise<void> {
  const until = absoluteDeadline(record, ctx.timeouts);
  const key = denyKey(ctx, record.sid!);
  return write(ctx, store, { key, value: '{"v":1,"revoked":true}', until });
}

/** Every sealed session of `userId` sealed before `now` is revoked. */
export function revokeUserBefore(
  ctx: Context,
  store: SessionStore,
  userId: string,
  now: number,
): Promise<void> {
  const until = now + ctx.timeouts.absoluteMs;
  const value = JSON.stringify({ v: 1, notBefore: now });
  return write(ctx, store, { key: notBeforeKey(ctx, userId), value, until });
}
