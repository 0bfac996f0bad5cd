import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link KoaSessionError}.
 *
 * - `ERR_KOA_INVALID_OPTION`: a middleware option with a bad value.
 * - `ERR_KOA_NO_SESSION`: `sessionOf(ctx, sessions)` on a request that
 *   `sessionMiddleware(sessions)`, with that same manager, did not load
 *   (not mounted before the route, or mounted with another manager).
 * - `ERR_KOA_HEADERS_SENT`: the session had a cookie or header to send, but
 *   the app had already sent the response's headers itself (`ctx.respond =
 *   false`, or a write to `ctx.res`); the session was committed, the cookie
 *   never reached the client.
 */
export type KoaSessionErrorCode =
  | "ERR_KOA_INVALID_OPTION"
  | "ERR_KOA_NO_SESSION"
  | "ERR_KOA_HEADERS_SENT";

/**
 * The one error class of `@tessera/koa`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package (ESM and CJS).
 *
 * @example
 * ```ts
 * app.on("error", (error) => {
 *   if (KoaSessionError.isInstance(error)) console.error(error.code);
 * });
 * ```
 */
export class KoaSessionError extends TesseraError<KoaSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_KOA_";
  override readonly name: string = "KoaSessionError";
}
