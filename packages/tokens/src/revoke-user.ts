import { supportsUserIndex } from "@tessera/store";
import { checkUserId, TokensError } from "./errors.js";
import type { Context } from "./lib/context.js";
import { revokeFamily } from "./lib/family.js";
import { parseFamily } from "./lib/records.js";

/**
 * `tokens.revokeUser`: revokes every live family of a user (log out
 * everywhere, password or factor change, account disabled; ASVS 5.0 7.4.3).
 * Needs the store's per-user index; otherwise throws `ERR_TOKENS_UNSUPPORTED`.
 * Only this package's family records are touched: a session store shared with
 * `@tessera/session` keeps that user's sessions (use `sessions.revokeUser`
 * for those). Resolves to the number of families revoked.
 */
export async function revokeUser(ctx: Context, userId: string): Promise<number> {
  checkUserId(userId);
  const store = ctx.store;
  if (!supportsUserIndex(store)) {
    throw new TokensError(
      "ERR_TOKENS_UNSUPPORTED",
      "revokeUser needs a store with the per-user index (listByUser and deleteByUser)",
    );
  }
  let revoked = 0;
  for (const { entry } of await store.listByUser(userId)) {
    const family = parseFamily(entry);
    if (family === null || family.rev !== undefined || family.uid !== userId) continue;
    if (await revokeFamily(ctx, family.id, "user")) revoked++;
  }
  return revoked;
}
