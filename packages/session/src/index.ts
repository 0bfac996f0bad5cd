export type {
  MatchesDeclaredSession,
  MatchesRegisteredManager,
  RegisteredDataOf,
  RegisteredFlashOf,
  RegisteredManager,
  RegisteredSessionOf,
} from "./adapter-kit.js";
export { isSessions } from "./adapter-kit.js";
export { applyCookies } from "./apply-cookies.js";
export type {
  CommitResult,
  LoadMeta,
  RevokeUserOptions,
  SessionSource,
  Sessions,
  UserSessionInfo,
} from "./create-sessions.js";
export { createSessions } from "./create-sessions.js";
export type { SessionErrorCode } from "./errors.js";
export { SessionError } from "./errors.js";
export type {
  BruteforceInfo,
  RejectReason,
  SessionEvent,
  SessionEventListener,
  StoreOperation,
} from "./events.js";
export type { HttpFailure } from "./http-failure.js";
export { failureResponse, httpFailure } from "./http-failure.js";
export type {
  BruteforceOptions,
  SealedSessionsOptions,
  SessionCookieOptions,
  SessionsBaseOptions,
  SessionsOptions,
  StoredSessionsOptions,
} from "./options.js";
export type { ResponseFacts, SessionResponse } from "./respond.js";
export { commitsOn, respond, responseHeaders, varyWithCookie } from "./respond.js";
export { failureResponseFor, sendWithSession } from "./send-with-session.js";
export type {
  DestroyResult,
  LoginOptions,
  Session,
  SessionData,
  SessionKey,
} from "./session.js";
export type { SessionHandler, WithSessionsOptions } from "./with-sessions.js";
export { withSessions } from "./with-sessions.js";
