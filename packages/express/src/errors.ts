/**
 * Stable codes of {@link ExpressSessionError}.
 *
 * - `ERR_EXPRESS_HEADERS_SENT`: deprecated, no longer thrown. A change after
 *   the commit began now throws `SessionError` `ERR_SESSION_COMMITTED` from
 *   `@tessera/session` itself (AD-04). Kept so existing comparisons compile.
 * - `ERR_EXPRESS_STORE_UNAVAILABLE`: the session store could not be reached;
 *   carries `status`/`statusCode` 503 and the store's error as `cause`.
 * - `ERR_EXPRESS_SESSION_CONFLICT`: the session could not be saved because
 *   concurrent requests kept changing it (`ERR_SESSION_CONFLICT` after the
 *   manager's merge retries); carries `status`/`statusCode` 409 and the
 *   session's error as `cause`. Nothing was stored: the client may retry.
 * - `ERR_EXPRESS_INVALID_OPTION`: a middleware option with a bad value.
 * - `ERR_EXPRESS_NO_SESSION`: `sessionOf(req, sessions)` on a request that
 *   `sessionMiddleware(sessions)`, with that same manager, did not load
 *   (not mounted before the route, or mounted with another manager).
 */
export type ExpressSessionErrorCode =
  | "ERR_EXPRESS_HEADERS_SENT"
  | "ERR_EXPRESS_STORE_UNAVAILABLE"
  | "ERR_EXPRESS_SESSION_CONFLICT"
  | "ERR_EXPRESS_INVALID_OPTION"
  | "ERR_EXPRESS_NO_SESSION";

const BRAND = Symbol.for("@tessera/express/ExpressSessionError");

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
export class ExpressSessionError extends Error {
  /** Stable machine-readable code, `ERR_EXPRESS_*`. */
  readonly code: ExpressSessionErrorCode;
  /** HTTP status for Express/Connect error handlers. */
  readonly status: number;
  /** Same as `status` (http-errors convention). */
  readonly statusCode: number;
  /** Never show the message to clients (http-errors convention). */
  readonly expose = false;
  /** Headers Express's default error handler adds to the response. */
  readonly headers: Record<string, string> | undefined;
  readonly [BRAND] = true;

  constructor(
    code: ExpressSessionErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "ExpressSessionError";
    this.code = code;
    this.status = options.status ?? 500;
    this.statusCode = this.status;
    this.headers = options.headers;
  }

  /**
   * True when `value` is an `ExpressSessionError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (ExpressSessionError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance(value: unknown): value is ExpressSessionError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }
}
