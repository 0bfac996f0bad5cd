/**
 * Stable codes of {@link FastifySessionError}.
 *
 * - `ERR_FASTIFY_SESSION_HEADERS_SENT`: deprecated, no longer thrown. A change
 *   after the commit began now throws `SessionError` `ERR_SESSION_COMMITTED`
 *   from `@tessera/session` itself (AD-04). Kept so existing comparisons compile.
 * - `ERR_FASTIFY_SESSION_STORE_UNAVAILABLE`: the store could not be reached;
 *   `statusCode` 503, the store's error as `cause`.
 * - `ERR_FASTIFY_SESSION_CONFLICT`: the session could not be saved because
 *   concurrent requests kept changing it (`ERR_SESSION_CONFLICT` after the
 *   manager's merge retries); `statusCode` 409, the session's error as
 *   `cause`. Nothing was stored: the client may retry.
 * - `ERR_FASTIFY_SESSION_INVALID_OPTION`: a plugin option with a bad value.
 * - `ERR_FASTIFY_SESSION_NO_SESSION`: `sessionOf(request, sessions)` on a
 *   request that `fastifySessions`, with that same manager, did not load
 *   (not registered in this scope, or registered with another manager).
 */
export type FastifySessionErrorCode =
  | "ERR_FASTIFY_SESSION_HEADERS_SENT"
  | "ERR_FASTIFY_SESSION_STORE_UNAVAILABLE"
  | "ERR_FASTIFY_SESSION_CONFLICT"
  | "ERR_FASTIFY_SESSION_INVALID_OPTION"
  | "ERR_FASTIFY_SESSION_NO_SESSION";

const BRAND = Symbol.for("@tessera/fastify/FastifySessionError");

/**
 * The one error class of `@tessera/fastify`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package. `statusCode` is
 * what Fastify's error handler answers with (503 for a store outage, 409
 * for a lost write race).
 *
 * @example
 * ```ts
 * app.setErrorHandler((error, request, reply) => {
 *   if (FastifySessionError.isInstance(error) && error.statusCode === 503) {
 *     return reply.code(503).header("retry-after", "5").send({ message: "try again shortly" });
 *   }
 *   return reply.send(error);
 * });
 * ```
 */
export class FastifySessionError extends Error {
  /** Stable machine-readable code, `ERR_FASTIFY_SESSION_*`. */
  readonly code: FastifySessionErrorCode;
  /** HTTP status Fastify's error handler uses. */
  readonly statusCode: number;
  readonly [BRAND] = true;

  constructor(
    code: FastifySessionErrorCode,
    message: string,
    options: { cause?: unknown; statusCode?: number } = {},
  ) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "FastifySessionError";
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
  }

  /**
   * True when `value` is a `FastifySessionError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (FastifySessionError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance(value: unknown): value is FastifySessionError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }
}
