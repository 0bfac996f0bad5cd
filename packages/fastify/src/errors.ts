import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link FastifySessionError}.
 *
 * - `ERR_FASTIFY_STORE_UNAVAILABLE`: the store could not be reached;
 *   `statusCode` 503, the store's error as `cause`.
 * - `ERR_FASTIFY_CONFLICT`: the session could not be saved because
 *   concurrent requests kept changing it (`ERR_SESSION_CONFLICT` after the
 *   manager's merge retries); `statusCode` 409, the session's error as
 *   `cause`. Nothing was stored: the client may retry.
 * - `ERR_FASTIFY_INVALID_OPTION`: a plugin option with a bad value.
 * - `ERR_FASTIFY_NO_SESSION`: `sessionOf(request, sessions)` on a
 *   request that `fastifySessions`, with that same manager, did not load
 *   (not registered in this scope, or registered with another manager).
 *
 * A change to the session after its commit began throws `SessionError`
 * `ERR_SESSION_COMMITTED` from `@tessera/session` itself.
 *
 * @example
 * ```ts
 * const code: FastifySessionErrorCode = "ERR_FASTIFY_STORE_UNAVAILABLE";
 * ```
 */
export type FastifySessionErrorCode =
  | "ERR_FASTIFY_STORE_UNAVAILABLE"
  | "ERR_FASTIFY_CONFLICT"
  | "ERR_FASTIFY_INVALID_OPTION"
  | "ERR_FASTIFY_NO_SESSION";

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
export class FastifySessionError extends TesseraError<FastifySessionErrorCode> {
  static override readonly codePrefix: string = "ERR_FASTIFY_";
  /** HTTP status Fastify's error handler uses. */
  readonly statusCode: number;
  /** Headers Fastify's default error handler adds: `Cache-Control: no-store`, and `Retry-After` on a 503. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: FastifySessionErrorCode,
    message: string,
    options: { cause?: unknown; statusCode?: number; headers?: Record<string, string> } = {},
  ) {
    super(code, message, "cause" in options ? { cause: options.cause } : {});
    this.name = "FastifySessionError";
    this.statusCode = options.statusCode ?? 500;
    this.headers = options.headers;
  }
}

/**
 * Throws the `ERR_FASTIFY_INVALID_OPTION` error a bad option gets at startup.
 *
 * @example
 * ```ts
 * if (typeof meta !== "function") invalidOption("option meta is invalid: expected a function");
 * ```
 */
export function invalidOption(message: string): never {
  throw new FastifySessionError("ERR_FASTIFY_INVALID_OPTION", message);
}
