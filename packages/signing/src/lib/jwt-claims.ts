/**
 * JWT claims validation for the HS256 path of `verifyJwt`, which verifies the
 * MAC itself instead of going through jose's Web Crypto path (see
 * verify-jwt.ts for why). It reproduces jose 6's `validateClaimsSet` rule for
 * rule and in the same order, so both paths give the same verdict and the
 * same failure reason for every token; verify-jwt.test.ts checks that with a
 * differential property test against jose and runs every tamper and claims
 * test on both paths. Keep the two in step when upgrading jose.
 */

import type { VerifyJwtFailure } from "../verify-jwt.js";

/** The claim rules of one options object, resolved once. */
export interface ClaimRules {
  /** Expected `typ`, normalized (lower case, `application/` prefix). */
  readonly typ: string;
  /** Claims that must be present (own properties), whatever their value. */
  readonly present: readonly string[];
  readonly issuer: unknown;
  readonly subject: unknown;
  readonly audience: unknown;
  /** Seconds; always set (no limit is a ~10-year limit, so `iat` is required). */
  readonly maxTokenAge: number;
  /** Seconds, 0..300. */
  readonly tolerance: number;
}

/**
 * RFC 7515 §4.1.9: `typ` values are media types, compared case-insensitively,
 * and the `application/` prefix may be omitted; a value with a `/` is used as is.
 */
export function normalizeTyp(value: string): string {
  const lower = value.toLowerCase();
  return value.includes("/") ? lower : `application/${lower}`;
}

// RFC 7519 §2 NumericDate; JSON.parse turns 1e309 into Infinity and allows
// absurd values, so bound them to 9999-12-31 (as the jose path does after jose).
export const MAX_NUMERIC_DATE = 253_402_300_799;

/** True when every present `exp`, `iat`, `nbf` is a finite NumericDate in 0..9999-12-31. */
export function numericDates(payload: Record<string, unknown>): boolean {
  for (const claim of ["exp", "iat", "nbf"]) {
    const value = payload[claim];
    if (
      value !== undefined &&
      !(
        typeof value === "number" &&
        Number.isFinite(value) &&
        value >= 0 &&
        value <= MAX_NUMERIC_DATE
      )
    ) {
      return false;
    }
  }
  return true;
}

function audienceMatches(aud: unknown, accepted: unknown): boolean {
  const list = (typeof accepted === "string" ? [accepted] : accepted) as readonly unknown[];
  if (typeof aud === "string") return list.includes(aud);
  if (Array.isArray(aud)) return list.some((a) => aud.includes(a));
  return false;
}

/**
 * Checks the header `typ` and the claims set (already a plain JSON object)
 * at `now` (epoch seconds). Returns the failure, or undefined when valid.
 * Order (first failure wins), as jose: typ; presence of required claims;
 * iss; sub; aud; `iat` a number; `nbf` a number and reached; `exp` a number
 * and not passed; age within `maxTokenAge`; `iat` not in the future; then
 * every NumericDate finite and in range.
 */
export function checkClaims(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  rules: ClaimRules,
  now: number,
): VerifyJwtFailure | undefined {
  const typ = header.typ;
  if (typeof typ !== "string" || normalizeTyp(typ) !== rules.typ) return "type";
  for (const claim of rules.present) if (!Object.hasOwn(claims, claim)) return "missing_claim";
  const { issuer, subject, audience, tolerance } = rules;
  if (issuer !== undefined && !(Array.isArray(issuer) ? issuer : [issuer]).includes(claims.iss))
    return "issuer";
  if (subject !== undefined && claims.sub !== subject) return "subject";
  if (audience !== undefined && !audienceMatches(claims.aud, audience)) return "audience";
  // RFC 7519 §4.1.4-4.1.6, with `clockTolerance` leeway on each side.
  const iat = claims.iat;
  if (typeof iat !== "number") return "invalid_claim";
  const nbf = claims.nbf;
  if (nbf !== undefined) {
    if (typeof nbf !== "number") return "invalid_claim";
    if (nbf > now + tolerance) return "not_yet_valid";
  }
  const exp = claims.exp;
  if (exp !== undefined) {
    if (typeof exp !== "number") return "invalid_claim";
    if (exp <= now - tolerance) return "expired";
  }
  const age = now - iat;
  if (age - tolerance > rules.maxTokenAge) return "too_old";
  if (age < -tolerance) return "issued_in_future";
  return numericDates(claims) ? undefined : "invalid_claim";
}
