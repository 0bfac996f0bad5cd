import { hashToken, isToken, randomToken } from "@tessera/signing";
import type { StoreEntry } from "@tessera/store";
import type { TokenPair } from "./issue.js";
import { bindingHash, type Context, sealChild, unsealChild } from "./lib/context.js";
import { advanceFamily, mintAccess, revokeFamily, tokenPair } from "./lib/family.js";
import {
  type FamilyRecord,
  familyKey,
  idleEnd,
  parseFamily,
  parseRefresh,
  type RefreshRecord,
  retainUntil,
} from "./lib/records.js";

/**
 * Why `refresh` refused a token. Map every one of them to OAuth's
 * `invalid_grant` (RFC 6749 §5.2) and send the user to log in again.
 *
 * - `invalid`: not a token of ours (wrong shape, unknown, corrupt record).
 * - `expired`: past the idle expiry or the family's absolute deadline.
 * - `reused`: already used; the whole family is now revoked (RFC 9700 §4.14.2).
 * - `revoked`: the family was revoked (reuse, logout, `revokeUser`).
 * - `binding_mismatch`: presented with another client binding than it was issued to.
 *
 * @example
 * ```ts
 * const reason: RefreshFailure = "reused"; // answer with invalid_grant
 * ```
 */
export type RefreshFailure = "invalid" | "expired" | "reused" | "revoked" | "binding_mismatch";

/**
 * Result of `tokens.refresh`.
 *
 * @example
 * ```ts
 * const result: RefreshResult = await tokens.refresh(token);
 * if (!result.ok) return Response.json({ error: "invalid_grant" }, { status: 400 });
 * ```
 */
export type RefreshResult = { ok: true; pair: TokenPair } | { ok: false; reason: RefreshFailure };

/**
 * Options of `tokens.refresh`.
 *
 * @example
 * ```ts
 * await tokens.refresh(token, { binding: clientId });
 * ```
 */
export interface RefreshOptions {
  /** The client binding, as given to `issue`. Required when the family was issued with one. */
  binding?: string;
}

const fail = (reason: RefreshFailure): RefreshResult => ({ ok: false, reason });

/**
 * `tokens.refresh`. Consumption is a compare-and-set of the token's record
 * from unused to used (the store's versioned `set`), so of any number of
 * concurrent presentations exactly one mints a child; the others find the
 * token used and take the grace or reuse path.
 */
export async function refresh(
  ctx: Context,
  token: string,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const presented = bindingHash(options?.binding);
  if (!isToken(token)) return fail("invalid");
  const key = hashToken(token);
  // Two rounds: a lost compare-and-set means the token is now used, and the
  // second read takes the grace or reuse path.
  for (let round = 0; round < 2; round++) {
    const entry = await ctx.store.get(key);
    const record = parseRefresh(entry);
    if (entry === null || record === null) return fail("invalid");
    const famEntry = await ctx.store.get(familyKey(record.fam));
    const family = parseFamily(famEntry);
    // A missing family was revoked by deletion or has expired: either way
    // nothing of it may be renewed.
    if (famEntry === null || family === null || family.rev !== undefined) return fail("revoked");
    const now = ctx.now();
    if (record.used !== undefined) {
      return usedToken(ctx, token, key, record, family, presented, now);
    }
    if (family.bind !== undefined && presented !== family.bind) {
      ctx.emit({ type: "binding_mismatch", at: now, family: record.fam, userId: family.uid });
      if (ctx.revokeOnBindingMismatch) await revokeFamily(ctx, record.fam, "binding_mismatch");
      return fail("binding_mismatch");
    }
    if (now >= family.deadline || now >= record.created + ctx.refreshTtl * 1000) {
      return fail("expired");
    }
    const child = randomToken(32);
    const childKey = hashToken(child);
    const used: RefreshRecord = { ...record, used: now, child: childKey };
    if (ctx.graceWindow > 0 && family.bind !== undefined) used.seal = sealChild(token, child);
    const idle = idleEnd(ctx, family, now);
    const consumed = await ctx.store.set(
      key,
      // Kept for the family's idle window after use, so that a replay is
      // recognised as reuse rather than as an unknown token.
      { value: JSON.stringify(used), expiresAt: retainUntil(ctx, idle) },
      { expectVersion: entry.version },
    );
    if (!consumed.ok) continue;
    return rotate(ctx, record.fam, famEntry, family, key, child, childKey, now);
  }
  return fail("invalid");
}

async function rotate(
  ctx: Context,
  familyId: string,
  famEntry: StoreEntry,
  family: FamilyRecord,
  parentKey: string,
  child: string,
  childKey: string,
  now: number,
): Promise<RefreshResult> {
  const idle = idleEnd(ctx, family, now);
  const record: RefreshRecord = {
    t: "tessera.refresh",
    v: 1,
    fam: familyId,
    parent: parentKey,
    created: now,
  };
  await ctx.store.set(
    childKey,
    { value: JSON.stringify(record), expiresAt: retainUntil(ctx, idle) },
    { expectVersion: 0 },
  );
  // If a concurrent reuse revoked the family meanwhile, the family stays
  // revoked and this pair is dead on arrival: consumption was linearised at
  // the compare-and-set above, so this call still reports the one success.
  await advanceFamily(ctx, familyId, { entry: famEntry, family }, parentKey, childKey, now);
  const access = await mintAccess(ctx, familyId, family, now);
  if (access === null) return fail("expired");
  ctx.emit({ type: "refreshed", at: now, family: familyId, userId: family.uid });
  return { ok: true, pair: tokenPair(access, child, idle, familyId, now) };
}

async function usedToken(
  ctx: Context,
  token: string,
  key: string,
  record: RefreshRecord,
  family: FamilyRecord,
  presented: string | undefined,
  now: number,
): Promise<RefreshResult> {
  const used = record.used!;
  // Benign race: the same client, inside the window, while the child is still the
  // family's live token (or about to become it), gets that same child back.
  if (
    ctx.graceWindow > 0 &&
    family.bind !== undefined &&
    presented === family.bind &&
    now - used <= ctx.graceWindow * 1000 &&
    record.seal !== undefined &&
    record.child !== undefined &&
    (family.cur === key || family.cur === record.child)
  ) {
    const child = unsealChild(token, record.seal);
    if (child !== null && hashToken(child) === record.child) {
      const access = await mintAccess(ctx, record.fam, family, now);
      if (access === null) return fail("expired");
      ctx.emit({ type: "refresh_grace", at: now, family: record.fam, userId: family.uid });
      return {
        ok: true,
        pair: tokenPair(access, child, idleEnd(ctx, family, used), record.fam, now),
      };
    }
  }
  // RFC 9700 §4.14.2: the server cannot tell thief from victim, so the
  // whole family goes and both must authenticate again.
  ctx.emit({ type: "refresh_reuse", at: now, family: record.fam, userId: family.uid, token: key });
  await revokeFamily(ctx, record.fam, "reuse");
  return fail("reused");
}
