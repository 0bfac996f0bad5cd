import type { VerifyJwtFailure } from "@tessera/signing";
import { badOption } from "./errors.js";
import { ACCESS_CONTEXT, ACCESS_TYP, type Context } from "./lib/context.js";
import { checkJwt, isRevoked } from "./lib/jwt.js";

/**
 * The claims of a verified access token (RFC 9068 §2.2 shape).
 *
 * @example
 * ```ts
 * const claims: AccessTokenClaims = result.claims;
 * console.log(claims.sub, claims.sid, claims.scope);
 * ```
 */
export interface AccessTokenClaims {
  /** Issuer (RFC 7519 §4.1.1). */
  iss: string;
  /** The user id given to `issue`. */
  sub: string;
  /** Audience. */
  aud: string | string[];
  /** Expiry, epoch seconds. */
  exp: number;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Unique token id; the deny list's key. */
  jti: string;
  /** Family (session) id; `revokeFamily` takes it. */
  sid: string;
  /** When the user authenticated, epoch seconds (OpenID Connect Core §2). */
  auth_time?: number;
  /** Extra claims given to `issue`. */
  [claim: string]: unknown;
}

/**
 * Why `verify` refused an access token.
 * - `malformed`: not a compact JWS of sane size (refused before any decoding).
 * - `invalid`: bad signature, wrong `typ`/`alg`/`iss`/`aud`, unknown `kid`, missing claims...
 * - `expired`: past `exp` (beyond the clock tolerance).
 * - `revoked`: on the deny list, or its family is revoked (with `checkRevocation`).
 * - `auth_too_old`: `maxAuthAge` was asked for and `auth_time` is older (or absent).
 *
 * @example
 * ```ts
 * const reason: AccessFailure = "expired";
 * ```
 */
export type AccessFailure = "malformed" | "invalid" | "expired" | "revoked" | "auth_too_old";

/**
 * Result of `tokens.verify`. `detail` is the precise reason from
 * `@tessera/signing`'s `verifyJwt`, for logs; do not show it to clients.
 *
 * @example
 * ```ts
 * const result: VerifyResult = await tokens.verify(token);
 * if (result.ok) console.log(result.claims.sub);
 * ```
 */
export type VerifyResult =
  | { ok: true; claims: AccessTokenClaims; needsReissue: boolean }
  | { ok: false; reason: AccessFailure; detail?: VerifyJwtFailure };

/**
 * Options of `tokens.verify`.
 *
 * @example
 * ```ts
 * await tokens.verify(token, { maxAuthAge: 300 }); // the user logged in at most 5 minutes ago
 * ```
 */
export interface VerifyOptions {
  /** Refuse (`auth_too_old`) when now − `auth_time` exceeds this many seconds. @default no limit */
  maxAuthAge?: number;
}

/** Checks `maxAuthAge` against `auth_time`; true when fresh enough. */
export function freshEnough(ctx: Context, authTime: unknown, maxAuthAge: number | undefined) {
  if (maxAuthAge === undefined) return true;
  if (typeof authTime !== "number") return false;
  const now = Math.floor(ctx.now() / 1000);
  return now - authTime <= maxAuthAge && authTime <= now + ctx.clockTolerance;
}

export function checkMaxAuthAge(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 400 * 86_400) {
    badOption("maxAuthAge", value, "an integer number of seconds >= 0");
  }
  return value;
}

/**
 * `tokens.verify`: signature, `typ: at+jwt`, algorithm, issuer, audience,
 * `exp`/`iat` with clock tolerance, required `sub`/`sid`/`jti`; then, when
 * configured, the deny list and the family (one `store.get` each, in
 * parallel). Never throws on a bad token; a store outage rejects.
 */
export async function verify(
  ctx: Context,
  token: string,
  options?: VerifyOptions,
): Promise<VerifyResult> {
  const maxAuthAge = options === undefined ? undefined : checkMaxAuthAge(options.maxAuthAge);
  const checked = await checkJwt(ctx, token, ACCESS_TYP, ACCESS_CONTEXT, []);
  if (!checked.ok) return checked;
  const claims = checked.payload as AccessTokenClaims;
  if (!freshEnough(ctx, claims.auth_time, maxAuthAge)) return { ok: false, reason: "auth_too_old" };
  // No store round trip (not even an await) unless a check is configured.
  if ((ctx.denyList || ctx.checkRevocation) && (await isRevoked(ctx, claims.jti, claims.sid))) {
    return { ok: false, reason: "revoked" };
  }
  return { ok: true, claims, needsReissue: checked.needsReissue };
}
