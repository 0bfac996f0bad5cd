import { randomToken, signJwt } from "@tessera/signing";
import type { StoreEntry } from "@tessera/store";
import type { RevokeReason } from "../events.js";
import type { TokenPair } from "../issue.js";
import { ACCESS_CONTEXT, ACCESS_TYP, type Context } from "./context.js";
import { type FamilyRecord, familyKey, idleEnd, parseFamily, retainUntil } from "./records.js";

// Compare-and-set retries. Writers of one family are few (one rotation at a
// time, plus revocations), so a handful of attempts always suffices.
const ATTEMPTS = 8;

/**
 * Marks a family revoked: one write, which every later refresh (and, with
 * `checkRevocation`, every verification) reads. Revocation always wins a race
 * with a rotation: the rotation's compare-and-set fails and it re-reads.
 * Resolves to false when the family is unknown, expired or already revoked.
 */
export async function revokeFamily(
  ctx: Context,
  familyId: string,
  reason: RevokeReason,
): Promise<boolean> {
  const key = familyKey(familyId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const entry = await ctx.store.get(key);
    const family = parseFamily(entry);
    if (entry === null || family === null || family.rev !== undefined) return false;
    const now = ctx.now();
    const revoked: FamilyRecord = { ...family, rev: now, why: reason };
    // The last attempt writes unconditionally: whatever raced with us, the
    // outcome must be "revoked".
    const result = await ctx.store.set(
      key,
      { value: JSON.stringify(revoked), expiresAt: entry.expiresAt, userId: family.uid },
      attempt < ATTEMPTS - 1 ? { expectVersion: entry.version } : undefined,
    );
    if (result.ok) {
      ctx.emit({ type: "family_revoked", at: now, family: familyId, userId: family.uid, reason });
      return true;
    }
  }
  return false;
}

/**
 * Moves the family's live token from `parentKey` to `childKey`. Stops (false)
 * when the family was revoked meanwhile; never moves it backwards when a
 * later rotation already landed.
 */
export async function advanceFamily(
  ctx: Context,
  familyId: string,
  start: { entry: StoreEntry; family: FamilyRecord },
  parentKey: string,
  childKey: string,
  now: number,
): Promise<boolean> {
  const key = familyKey(familyId);
  let { entry, family } = start;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (family.rev !== undefined) return false;
    if (family.cur !== parentKey) return family.cur === childKey;
    const next: FamilyRecord = { ...family, cur: childKey, last: now };
    const result = await ctx.store.set(
      key,
      {
        value: JSON.stringify(next),
        expiresAt: retainUntil(ctx, idleEnd(ctx, family, now)),
        userId: family.uid,
      },
      { expectVersion: entry.version },
    );
    if (result.ok) return true;
    const again = await ctx.store.get(key);
    const parsed = parseFamily(again);
    if (again === null || parsed === null) return false;
    entry = again;
    family = parsed;
  }
  return false;
}

/** Signs an access token for a family; null once the family's deadline leaves less than a second. */
export async function mintAccess(
  ctx: Context,
  familyId: string,
  family: FamilyRecord,
  now: number,
): Promise<{ token: string; expiresIn: number } | null> {
  // An access token never outlives its family's absolute deadline.
  const expiresIn = Math.min(ctx.accessTtl, Math.floor((family.deadline - now) / 1000));
  if (expiresIn < 1) return null;
  const claims: Record<string, unknown> = { ...family.claims, sid: familyId };
  if (family.auth !== undefined) claims.auth_time = family.auth;
  const token = await signJwt(claims, ctx.keys, {
    alg: ctx.algorithm,
    expiresIn,
    typ: ACCESS_TYP,
    issuer: ctx.issuer,
    audience: ctx.audience,
    subject: family.uid,
    jwtId: randomToken(16),
    now,
    ...(ctx.symmetric ? { context: ACCESS_CONTEXT } : {}),
  });
  return { token, expiresIn };
}

/** The pair handed to the client: a fresh access token and `refreshToken`, idle until `idle`. */
export function tokenPair(
  access: { token: string; expiresIn: number },
  refreshToken: string,
  idle: number,
  familyId: string,
  now: number,
): TokenPair {
  return {
    accessToken: access.token,
    refreshToken,
    tokenType: "Bearer",
    expiresIn: access.expiresIn,
    refreshExpiresIn: Math.floor((idle - now) / 1000),
    sessionId: familyId,
  };
}
