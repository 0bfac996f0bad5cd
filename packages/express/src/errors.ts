import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link ExpressSessionError}.
 *
 * - `ERR_EXPRESS_STORE_UNAVAILABLE`: the session store could not be reached;
 *   carries `status`/`statusCode` 503 and the store's error as `cause`.
 * - `ERR_EXPRESS_CONFLICT`: the session could not be saved because
 *   concurrent requests kept changing it (`ERR_SESSION_CONFLICT` after the
 *   manager's merge retries); carries `status`/`statusCode` 409 and the
 *   session's error as `cause`. Nothing was stored: the client may retry.
 * - `ERR_EXPRESS_INVALID_OPTION`: a middleware option with a bad value.
 * - `ERR_EXPRESS_NO_SESSION`: `sessionOf(req, sessions)` on a request that
 *   `sessionMiddleware(sessions)`, with that same manager, did not load
 *   (not mounted before the route, or mounted with another manager).
 *
 * A change to the session after its commit began throws `SessionError`
 * `ERR_SESSION_COMMITTED` from `@tessera/session` itself.
 *
 * @example
 * ```ts
 * const code: ExpressSessionErrorCode = "ERR_EXPRESS_STORE_UNAVAILABLE";
 * ```
 */
export type ExpressSessionErrorCode =
  | "ERR_EXPRESS_STORE_UNAVAILABLE"
  | "ERR_EXPRESS_CONFLICT"
  | "ERR_EXPRESS_INVALID_OPTION"
  | "ERR_EXPRESS_NO_SESSION";

/**
 * The one error class of `@tessera/express`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package (dual ESM/CJS).
 * `status` and `statusCode` are what Express's error handlers read: 503 for
 * a store outage, 409 for a lost write race, 500 otherwise.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (ExpressSessionError.isInstance(err) && err.code === "ERR_EXPRESS_STORE_UNAVAILABLE") {
 *     return res.status(503).set("retry-after", "5").send("Try again shortly");
 *   }
 *   next(err);
 * });
 * ```
 */
export class ExpressSessionError extends TesseraError<ExpressSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_EXPRESS_";
  /** HTTP status for Express/Connect error handlers. */
  readonly status: number;
  /** Same as `status` (http-errors convention). */
  readonly statusCode: number;
  /** Never show the message to clients (http-errors convention). */
  readonly expose = false;
  /** Headers Express's default error handler adds to the response. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ExpressSessionErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(code, message, "cause" in options ? { cause: options.cause } : {});
    this.name = "ExpressSessionError";
    this.status = options.status ?? 500;
    this.statusCode = this.status;
    this.headers = options.headers;
  }
}

/**
 * Throws the `ERR_EXPRESS_INVALID_OPTION` error a bad option gets at startup.
 *
 * @example
 * ```ts
 * if (typeof meta !== "function") invalidOption("option meta is invalid: expected a function");
 * ```
 */
export function invalidOption(message: string): never {
  throw new ExpressSessionError("ERR_EXPRESS_INVALID_OPTION", message);
}
