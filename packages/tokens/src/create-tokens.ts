import {
  createJwksHandler,
  type FetchHandler,
  type JwksHandlerOptions,
} from "./create-jwks-handler.js";
import { TokensError } from "./errors.js";
import { type IssueOptions, issue, type TokenPair } from "./issue.js";
import { issueStepUp, type StepUpInput, type StepUpToken } from "./issue-step-up.js";
import { contextOf } from "./lib/context.js";
import type { TokensOptions } from "./options.js";
import { type RefreshOptions, type RefreshResult, refresh } from "./refresh.js";
import { revokeAccessToken } from "./revoke-access-token.js";
import { revokeFamily, revokeRefreshToken } from "./revoke-family.js";
import { revokeUser } from "./revoke-user.js";
import { type VerifyOptions, type VerifyResult, verify } from "./verify.js";
import { type VerifyRequestResult, verifyRequest } from "./verify-request.js";
import { type StepUpResult, type VerifyStepUpOptions, verifyStepUp } from "./verify-step-up.js";

/**
 * Access, refresh and step-up tokens over one keyring and one store; made by
 * {@link createTokens}. Methods given a token from the network never throw
 * for a bad token (they return `{ ok: false, reason }`); they reject only on
 * programmer misuse (`TokensError`) or a store outage (the store's
 * `StoreUnavailableError`, which callers map to 503).
 *
 * @example
 * ```ts
 * const pair = await tokens.issue("u1");
 * const seen = await tokens.verify(pair.accessToken);
 * ```
 */
export interface Tokens {
  /**
   * Starts a family (one login): an access JWT and an opaque refresh token.
   * Store cost: two create-only writes.
   * @example
   * ```ts
   * const pair = await tokens.issue(user.id, { binding: clientId, claims: { scope: "read" } });
   * ```
   */
  issue(userId: string, options?: IssueOptions): Promise<TokenPair>;
  /**
   * Rotates a refresh token: a new pair, the old token used up. An already
   * used token revokes its whole family and yields `reused` (RFC 9700 §4.14.2).
   * Store cost: two reads and three writes.
   * @example
   * ```ts
   * const next = await tokens.refresh(body.refresh_token, { binding: clientId });
   * if (!next.ok) return Response.json({ error: "invalid_grant" }, { status: 400 });
   * ```
   */
  refresh(refreshToken: string, options?: RefreshOptions): Promise<RefreshResult>;
  /**
   * Verifies an access token. Store cost: none, plus one read each for
   * `denyList` and `checkRevocation` (in parallel).
   * @example
   * ```ts
   * const seen = await tokens.verify(token);
   * if (seen.ok) console.log(seen.claims.sub);
   * ```
   */
  verify(accessToken: string, options?: VerifyOptions): Promise<VerifyResult>;
  /**
   * Verifies the `Authorization: Bearer` token of a fetch-style request.
   * @example
   * ```ts
   * const seen = await tokens.verifyRequest(request);
   * if (!seen.ok) return unauthorizedResponse(seen);
   * ```
   */
  verifyRequest(request: Request, options?: VerifyOptions): Promise<VerifyRequestResult>;
  /**
   * Issues a step-up token after a re-authentication (`typ: stepup+jwt`).
   * @example
   * ```ts
   * const stepUp = await tokens.issueStepUp({ userId, sessionId: claims.sid, acr: "mfa" });
   * ```
   */
  issueStepUp(input: StepUpInput): Promise<StepUpToken>;
  /**
   * Verifies (and by default consumes) a step-up token for the current session.
   * @example
   * ```ts
   * const ok = await tokens.verifyStepUp(header, { sessionId: claims.sid, maxAuthAge: 300 });
   * ```
   */
  verifyStepUp(token: string, options: VerifyStepUpOptions): Promise<StepUpResult>;
  /**
   * Revokes one family by id (the `sid` claim).
   * @example
   * ```ts
   * await tokens.revokeFamily(claims.sid);
   * ```
   */
  revokeFamily(sessionId: string): Promise<boolean>;
  /**
   * Logout: revokes the family of a refresh token.
   * @example
   * ```ts
   * await tokens.revokeRefreshToken(body.refresh_token);
   * ```
   */
  revokeRefreshToken(refreshToken: string): Promise<boolean>;
  /**
   * Revokes every family of a user; throws `ERR_TOKENS_UNSUPPORTED` without the store's per-user index.
   * @example
   * ```ts
   * const count = await tokens.revokeUser(user.id);
   * ```
   */
  revokeUser(userId: string): Promise<number>;
  /**
   * Puts an access token on the deny list until it expires (with `denyList: true`).
   * @example
   * ```ts
   * await tokens.revokeAccessToken(token);
   * ```
   */
  revokeAccessToken(accessToken: string): Promise<boolean>;
  /**
   * The JWKS endpoint for other services (EdDSA/ES256 only; throws `ERR_TOKENS_UNSUPPORTED` for HS*).
   * @example
   * ```ts
   * const jwks = tokens.jwksHandler();
   * ```
   */
  jwksHandler(options?: JwksHandlerOptions): FetchHandler;
}

/**
 * Creates the token service: short-lived access JWTs (`at+jwt`, RFC 9068)
 * signed through `@tessera/signing`, opaque rotating refresh tokens stored
 * only as SHA-256 hashes with family-wide reuse detection (RFC 9700 §4.14.2),
 * step-up tokens, revocation, and a JWKS handler. Throws `TokensError`
 * (`ERR_TOKENS_INVALID_OPTION`) naming any bad option.
 *
 * @example
 * ```ts
 * const keys = createKeyring([await generateKeyPair("EdDSA", { id: "ed-1" })]);
 * const tokens = createTokens({ keys, store: new MemoryStore(), issuer: "https://auth.example", audience: "api" });
 * const pair = await tokens.issue("u1");
 * const next = await tokens.refresh(pair.refreshToken); // { ok: true, pair }
 * ```
 */
export function createTokens(options: TokensOptions): Tokens {
  const ctx = contextOf(options);
  return Object.freeze({
    issue: (userId: string, o?: IssueOptions) => issue(ctx, userId, o),
    refresh: (token: string, o?: RefreshOptions) => refresh(ctx, token, o),
    verify: (token: string, o?: VerifyOptions) => verify(ctx, token, o),
    verifyRequest: (request: Request, o?: VerifyOptions) => verifyRequest(ctx, request, o),
    issueStepUp: (input: StepUpInput) => issueStepUp(ctx, input),
    verifyStepUp: (token: string, o: VerifyStepUpOptions) => verifyStepUp(ctx, token, o),
    revokeFamily: (sessionId: string) => revokeFamily(ctx, sessionId),
    revokeRefreshToken: (token: string) => revokeRefreshToken(ctx, token),
    revokeUser: (userId: string) => revokeUser(ctx, userId),
    revokeAccessToken: (token: string) => revokeAccessToken(ctx, token),
    jwksHandler: (o?: JwksHandlerOptions) => {
      if (ctx.symmetric) {
        throw new TokensError(
          "ERR_TOKENS_UNSUPPORTED",
          `a JWKS publishes public keys; algorithm ${ctx.algorithm} is symmetric (use EdDSA or ES256)`,
        );
      }
      return createJwksHandler(ctx.keys, o);
    },
  });
}
