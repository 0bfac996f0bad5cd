import { randomToken, signJwt } from "@tessera/signing";
import { badArgument, checkUserId } from "./errors.js";
import { type Context, STEP_UP_CONTEXT, STEP_UP_TYP } from "./lib/context.js";

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
  /** The session (family id, the access token's `sid`) the step-up is bound to. */
  sessionId: string;
  /** Authentication context class reached, e.g. `"mfa"` (OpenID Connect Core §2 `acr`). */
  acr: string;
  /** When the re-authentication happened, epoch milliseconds. @default now */
  authTime?: number;
  /** Lifetime in seconds, at most the configured `stepUpTtl` (≤ 300, SECURITY LC-09). @default stepUpTtl */
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
 * re-authentication, for one sensitive operation (SECURITY LC-09, T-B47).
 * Typed `stepup+jwt` and, under HS*, signed with its own derived key, so it
 * never passes for an access token and vice versa (JWT-05).
 */
export async function issueStepUp(ctx: Context, input: StepUpInput): Promise<StepUpToken> {
  if (typeof input !== "object" || input === null) badArgument("input", input, "an object");
  const userId = checkUserId(input.userId);
  const sessionId = text("sessionId", input.sessionId, 256);
  const acr = text("acr", input.acr, 256);
  const now = ctx.now();
  const authTime = input.authTime ?? now;
  if (!Number.isSafeInteger(authTime) || authTime < 0 || authTime > now + 60_000) {
    badArgument("authTime", authTime, "epoch milliseconds, not in the future");
  }
  const expiresIn = input.expiresIn ?? ctx.stepUpTtl;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > ctx.stepUpTtl) {
    badArgument("expiresIn", expiresIn, `an integer number of seconds in 1..${ctx.stepUpTtl}`);
  }
  const jti = randomToken(16);
  const token = await signJwt(
    { sid: sessionId, acr, auth_time: Math.floor(authTime / 1000) },
    ctx.keys,
    {
      alg: ctx.algorithm,
      expiresIn,
      typ: STEP_UP_TYP,
      issuer: ctx.issuer,
      audience: ctx.audience,
      subject: userId,
      jwtId: jti,
      now,
      ...(ctx.symmetric ? { context: STEP_UP_CONTEXT } : {}),
    },
  );
  return { token, expiresIn, jti };
}
