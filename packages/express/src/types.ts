import type { Session, SessionData } from "@tessera/session";

/**
 * Declare your session data (and flash) types here once, and `req.session`
 * is typed everywhere:
 *
 * @example
 * ```ts
 * declare module "@tessera/express" {
 *   interface Register {
 *     data: { visits: number; cart: number[] };
 *     flash: { notice: string };
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point for users
export interface Register {}

/** The data type registered in {@link Register}, or `SessionData`. */
export type RegisteredData = Register extends { data: infer D extends SessionData }
  ? D
  : SessionData;
/** The flash type registered in {@link Register}, or `SessionData`. */
export type RegisteredFlash = Register extends { flash: infer F extends SessionData }
  ? F
  : SessionData;

/**
 * The type of `req.session`.
 *
 * @example
 * ```ts
 * function visits(session: RequestSession) { return session.get("visits") ?? 0; }
 * ```
 */
export type RequestSession = Session<RegisteredData, RegisteredFlash>;

declare global {
  namespace Express {
    interface Request {
      /** The request's session, loaded by `@tessera/express`'s `sessionMiddleware`. */
      session: RequestSession;
    }
  }
}
