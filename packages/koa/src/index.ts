export type { KoaSessionErrorCode } from "./errors.js";
export { KoaSessionError } from "./errors.js";
export type { KoaSessionOptions } from "./session-middleware.js";
export { sessionMiddleware, sessionOf } from "./session-middleware.js";
export type { MatchesRegister, Register, RequestSession, SessionContext } from "./types.js";
