export type { ExpressSessionErrorCode } from "./errors.js";
export { ExpressSessionError } from "./errors.js";
export type {
  LegacySessionStore,
  MigrateFromExpressSessionOptions,
  SessionMiddlewareOptions,
} from "./options.js";
export type { RequestSession } from "./request.js";
export type { SessionMiddleware } from "./session-middleware.js";
export { sessionMiddleware, sessionOf } from "./session-middleware.js";
export type { MatchesRegister, Register, RegisteredData, RegisteredFlash } from "./types.js";
