export type { HonoSessionErrorCode } from "./errors.js";
export { HonoSessionError } from "./errors.js";
export type { HonoSessionOptions, MatchesEnv, SessionVariables } from "./session-middleware.js";
export { sessionMiddleware } from "./session-middleware.js";
