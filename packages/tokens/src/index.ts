export {
  createJwksHandler,
  type FetchHandler,
  type JwksHandlerOptions,
} from "./create-jwks-handler.js";
export { createTokens, type Tokens } from "./create-tokens.js";
export { TokensError, type TokensErrorCode } from "./errors.js";
export type { RevokeReason, TokensEvent, TokensEventListener } from "./events.js";
export type { IssueOptions, TokenPair } from "./issue.js";
export type { StepUpInput, StepUpToken } from "./issue-step-up.js";
export type { TokensOptions } from "./options.js";
export { type BearerRead, readBearerToken } from "./read-bearer-token.js";
export type { RefreshFailure, RefreshOptions, RefreshResult } from "./refresh.js";
export { type UnauthorizedOptions, unauthorizedResponse } from "./unauthorized-response.js";
export type {
  AccessFailure,
  AccessTokenClaims,
  VerifyOptions,
  VerifyResult,
} from "./verify.js";
export type { RequestFailure, VerifyRequestResult } from "./verify-request.js";
export type {
  StepUpClaims,
  StepUpFailure,
  StepUpResult,
  VerifyStepUpOptions,
} from "./verify-step-up.js";
