import type { VerifyJwtFailure } from "@tessera/signing";
import { badOption } from "./errors.js";
import { type Context, STEP_UP_CONTEXT, STEP_UP_TYP } from "./lib/context.js";
import { checkJwt, isRevoked } from "./lib/jwt.js";
import { denyKey } from "./lib/records.js";
import {
  type AccessFailure,
  type AccessTokenClaims,
  checkMaxAuthAge,
  freshEnough,
} from "./verify.js";

/**
 * The claims of a verified step-up token.
 *
 * @example
 * ```ts
 * const { acr, auth_time }: StepUpClaims = result.claims;
 * ```
 */
export interface StepUpClaims
  extends Pick<AccessTokenClaims, "iss" | "sub" | "aud" | "exp" | "iat" | "jti"> {
  /** The session it is bound to: a token family id, or another session's id (see `sid_type`). */
  sid: string;
  /**
   * `"session"` when `sid` is not a token family of this service but the id
   * of a session kept elsewhere (`@tessera/session`'s `session.id`); absent
   * for a family.
   */
  sid_type?: "session";
  /** Authentication context class reached. */
  acr: string;
  /** When the re-authentication happened, epoch seconds. */
  auth_time: number;
}

/**
 * Why `verifyStepUp` refused a token: the access-token reasons, plus
 * - `wrong_session`: bound to another session than `sessionId`;
 * - `insufficient_acr`: its `acr` is not among `acr`;
 * - `reused`: single use, and this `jti` was already used.
 *
 * @example
 * ```ts
 * const reason: StepUpFailure = "wrong_session";
 * ```
 */
export type StepUpFailure = AccessFailure | "wrong_session" | "insufficient_acr" | "reused";

/**
 * Result of `tokens.verifyStepUp`.
 *
 * @example
 * ```ts
 * const result: StepUpResult = await tokens.verifyStepUp(token, { sessionId: claims.sid });
 * ```
 */
export type StepUpResult =
  | { ok: true; claims: StepUpClaims }
  | { ok: false; reason: StepUpFailure; detail?: VerifyJwtFailure };

/**
 * Options of `tokens.verifyStepUp`.
 *
 * @example
 * ```ts
 * const options: VerifyStepUpOptions = { sessionId: claims.sid, maxAuthAge: 120, acr: ["mfa"] };
 * ```
 */
export interface VerifyStepUpOptions {
  /**
   * The current session, the same id the token was issued for: the access
   * token's `sid` (a family id), or `@tessera/session`'s `session.id` for a
   * cookie session. A step-up of another session is refused.
   */
  sessionId: string;
  /** Refuse when now − `auth_time` exceeds this many seconds. @default no limit beyond `exp` */
  maxAuthAge?: number;
  /** Accepted `acr` values. @default any */
  acr?: string | readonly string[];
  /**
   * Accept each token once: its `jti` is written to the deny list with a
   * create-only write, so of two concurrent uses exactly one passes. Costs
   * one `store.set`. Works whether or not `denyList` is on.
   * @default true
   */
  singleUse?: boolean;
}

/**
 * `tokens.verifyStepUp`: verifies a `stepup+jwt` bound to `sessionId`,
 * checks `maxAuthAge` and `acr`, and consumes it (single use).
 */
export async function verifyStepUp(
  ctx: Context,
  token: string,
  options: VerifyStepUpOptions,
): Promise<StepUpResult> {
  if (typeof options !== "object" || options === null) {
    badOption("options", options, "an object with sessionId");
  }
  if (typeof options.sessionId !== "string" || options.sessionId.length === 0) {
    badOption("sessionId", options.sessionId, "the current session id");
  }
  const maxAuthAge = checkMaxAuthAge(options.maxAuthAge);
  const acr = options.acr === undefined ? undefined : [options.acr].flat();
  if (acr !== undefined && (acr.length === 0 || acr.some((a) => typeof a !== "string"))) {
    badOption("acr", options.acr, "a string or a non-empty list of strings");
  }
  const singleUse = options.singleUse ?? true;
  if (typeof singleUse !== "boolean") badOption("singleUse", singleUse, "true or false");

  const checked = await checkJwt(ctx, token, STEP_UP_TYP, STEP_UP_CONTEXT, ["acr", "auth_time"]);
  if (!checked.ok) return checked;
  const claims = checked.payload as unknown as StepUpClaims;
  if (typeof claims.acr !== "string")
    return { ok: false, reason: "invalid", detail: "invalid_claim" };
  if (claims.sid_type !== undefined && claims.sid_type !== "session") {
    return { ok: false, reason: "invalid", detail: "invalid_claim" };
  }
  if (claims.sid !== options.sessionId) return { ok: false, reason: "wrong_session" };
  if (!freshEnough(ctx, claims.auth_time, maxAuthAge)) return { ok: false, reason: "auth_too_old" };
  if (acr !== undefined && !acr.includes(claims.acr))
    return { ok: false, reason: "insufficient_acr" };
  // Single use reads the deny list through its create-only write below.
  // A session kept elsewhere has no family here: its liveness is the caller's
  // (the id comes from a session the caller just loaded).
  const checkFamily = ctx.checkRevocation && claims.sid_type === undefined;
  if (await isRevoked(ctx, claims.jti, claims.sid, ctx.denyList && !singleUse, checkFamily)) {
    return { ok: false, reason: "revoked" };
  }
  if (singleUse) {
    const written = await ctx.store.set(
      denyKey(ctx.issuer, claims.jti),
      {
        value: JSON.stringify({ t: "tessera.deny", v: 1, at: ctx.now() }),
        // Outlives the token by the tolerance verify grants it.
        expiresAt: (claims.exp + ctx.clockTolerance) * 1000,
      },
      { expectVersion: 0 },
    );
    if (!written.ok) return { ok: false, reason: "reused" };
  }
  return { ok: true, claims };
}
