/**
 * `@tessera/express/migrate`: the same middleware as `@tessera/express`, with
 * the same runtime code, but without the global declaration of `req.session`.
 * Use it while `@types/express-session` is installed (connect-redis and the
 * other express-session stores need it for their own types): that package
 * declares `req.session` as express-session's session, and a second
 * declaration of another type does not compile. Read the session in routes
 * with `sessionOf(req, sessions)`, typed from the manager.
 *
 * @packageDocumentation
 */
export type { ExpressSessionErrorCode } from "./errors.js";
export { ExpressSessionError } from "./errors.js";
export type {
  LegacySessionStore,
  MigrateFromExpressSessionOptions,
  SessionMiddlewareOptions,
} from "./options.js";
export type { SessionMiddleware } from "./session-middleware.js";
export { sessionMiddleware, sessionOf } from "./session-middleware.js";
