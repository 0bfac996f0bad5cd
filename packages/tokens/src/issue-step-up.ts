import { randomToken, signJwt } from "@tessera/signing";
import { badArgument, checkUserId } from "./errors.js";
import { type Context, STEP_UP_CONTEXT, STEP_UP_TYP } from "./lib/context.js";
import { familyKey, parseFamily } from "./lib/records.js";

/**
 * Options of `tokens.issueStepUp`.
 *
 * @example
 * ```ts
 * const input: StepUpInput = { userId: "u1", sessionId: claims.sid, acr: "mfa", authTime: Date.now() };
 * ```
 */
export interface StepUpInput {
  /** The user who just re-authenticated (`sub`). */
  userId: string;
  /**
   * The session the step-up is bound to: a token family id (a `TokenPair`'s
   * `sessionId`, the access token's `sid`), or the id of a session kept
   * elsewhere, such as `@tessera/session`'s `session.id` for a cookie
   * session. `verifyStepUp` must then be given the same id.
   */
  sessionId: string;
  /** Authentication context class reached, e.g. `"mfa"` (OpenID Connect Core §2 `acr`). */
  acr: string;
  /** When the re-authentication happened, epoch milliseconds. @default now */
  authTime?: number;
  /**
   * Lifetime in seconds, at most the configured `stepUpTtl` (≤ 300: proof of
   * a recent re-authentication is short-lived).
   * @default stepUpTtl
   */
  expiresIn?: number;
}

/**
 * A step-up token.
 *
 * @example
 * ```ts
 * const { token, expiresIn } = await tokens.issueStepUp(input);
 * ```
 */
export interface StepUpToken {
  /** Signed JWT, `typ: stepup+jwt`. */
  token: string;
  /** Seconds until it expires. */
  expiresIn: number;
  /** Its `jti`: the single-use key. */
  jti: string;
}

function text(name: string, value: unknown, max: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    badArgument(name, value, `a string of 1-${max} characters`);
  }
  return value;
}

/**
 * `tokens.issueStepUp`: a short-lived token proving a recent
 * re-authentication, for one sensitive operation (ASVS 4.0.3 3.7.1).
 * Typed `stepup+jwt` and, under HS*, signed with its own derived key, so it
 * never passes for an access token and vice versa. Reads the store
 * once, to tell a token family (checked again on verify) from another
 * session's id (claim `sid_type: "session"`).
 */
export async function issueStepUp(ctx: Context, input: StepUpInput): Promise<StepUpToken> {
  if (typeof input !== "object" || input === null) badArgument("input", input, "an object");
  const userId = checkUserId(input.userId);
  const sessionId = text("sessionId", input.sessionId, 256);
  const acr = text("acr", input.acr, 256);
  // A family of ours is checked on verify (checkRevocation); any other id is
  // a session this package cannot see, marked so its missing family is not
  // taken for a revoked one.
  const family = parseFamily(await ctx.store.get(familyKey(sessionId)));
  const now = ctx.now();
  const authTime = input.authTime ?? now;
  if (!Number.isSafeInteger(authTime) || authTime < 0 || authTime > now + 60_000) {
    badArgument("authTime", authTime, "epoch milliseconds, not in the future");
  }
  const expiresIn = input.expiresIn ?? ctx.stepUpTtl;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > ctx.stepUpTtl) {
    badArgument("expiresIn", expiresIn, `an integer number of seconds in 1..${ctx.stepUpTtl}`);
  }
  if (family !== null && family.uid !== userId) {
    badArgument(
      "sessionId",
      sessionId,
      "a session of userId (this is another user's token family)",
    );
  }
  const jti = randomToken(16);
  const claims: Record<string, unknown> = { sid: sessionId, acr };
  if (family === null) claims.sid_type = "session";
  claims.auth_time = Math.floor(authTime / 1000);
  const token = await signJwt(claims, ctx.keys, {
    alg: ctx.algorithm,
    expiresIn,
    typ: STEP_UP_TYP,
    issuer: ctx.issuer,
    audience: ctx.audience,
    subject: userId,
    jwtId: jti,
    now,
    ...(ctx.symmetric ? { context: STEP_UP_CONTEXT } : {}),
  });
  return { token, expiresIn, jti };
}
