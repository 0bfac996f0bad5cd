import { hashToken, isToken } from "@tessera/signing";
import { badArgument } from "./errors.js";
import type { Context } from "./lib/context.js";
import { revokeFamily as revoke } from "./lib/family.js";
import { parseRefresh } from "./lib/records.js";

/**
 * `tokens.revokeFamily`: revokes one family (one login) by its id, the
 * `sid` claim. Resolves to false when it was unknown, expired or already
 * revoked.
 */
export function revokeFamily(ctx: Context, sessionId: string): Promise<boolean> {
  if (typeof sessionId !== "string" || sessionId.length === 0 || sessionId.length > 256) {
    badArgument("sessionId", sessionId, "a family id (the sid claim)");
  }
  return revoke(ctx, sessionId, "manual");
}

/**
 * `tokens.revokeRefreshToken`: logout with the refresh token in hand; revokes
 * its family whether the token is live or already used. Never throws on a
 * bad token: resolves to false.
 */
export async function revokeRefreshToken(ctx: Context, token: string): Promise<boolean> {
  if (!isToken(token)) return false;
  const record = parseRefresh(await ctx.store.get(hashToken(token)));
  if (record === null) return false;
  return revoke(ctx, record.fam, "logout");
}
