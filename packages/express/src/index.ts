export type { ExpressSessionErrorCode } from "./errors.js";
export { ExpressSessionError } from "./errors.js";
export type {
  LegacySessionStore,
  MigrateFromExpressSessionOptions,
  SessionMiddlewareOptions,
} from "./options.js";
export type { SessionMiddleware } from "./session-middleware.js";
export { sessionMiddleware } from "./session-middleware.js";
export type { Register, RegisteredData, RegisteredFlash, RequestSession } from "./types.js";
