import type { Session, SessionData } from "@tessera/session";

/**
 * Declare your session data (and flash) types here once, and
 * `request.session` is typed in every route:
 *
 * @example
 * ```ts
 * declare module "@tessera/fastify" {
 *   interface Register {
 *     data: { visits: number };
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
 * The type of `request.session`.
 *
 * @example
 * ```ts
 * function visits(session: RequestSession) { return session.get("visits") ?? 0; }
 * ```
 */
export type RequestSession = Session<RegisteredData, RegisteredFlash>;

declare module "fastify" {
  interface FastifyRequest {
    /** The request's session, loaded by the `@tessera/fastify` plugin in `onRequest`. */
    session: RequestSession;
  }
}
