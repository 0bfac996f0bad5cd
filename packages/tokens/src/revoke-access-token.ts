import type { Context } from "./lib/context.js";
import { denyKey } from "./lib/records.js";
import { verify } from "./verify.js";

/**
 * `tokens.revokeAccessToken`: puts a still-valid access token on the deny
 * list by `(iss, jti)` until its `exp` (never by the token string). Needs `denyList:
 * true` to have any effect on `verify`. Resolves to false for a token that
 * does not verify (nothing to deny); never throws on a bad token.
 */
export async function revokeAccessToken(ctx: Context, token: string): Promise<boolean> {
  const result = await verify(ctx, token);
  if (!result.ok) return false;
  const { jti, exp } = result.claims;
  const written = await ctx.store.set(denyKey(ctx.issuer, jti), {
    value: JSON.stringify({ t: "tessera.deny", v: 1, at: ctx.now() }),
    // Until no verifier would accept the token anyway (exp + tolerance).
    expiresAt: (exp + ctx.clockTolerance) * 1000,
  });
  return written.ok;
}
