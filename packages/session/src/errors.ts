import { TesseraError } from "@tessera/store";
import { httpFailure } from "./http-failure.js";

/**
 * Stable error codes of `@tessera/session`. Network input never produces one of
 * these from `load`; they signal programmer misuse or a decision the caller must
 * act on (re-authentication, an unsupported capability, a size cap).
 *
 * @example
 * ```ts
 * if (SessionError.isInstance(error) && error.code === "ERR_SESSION_TOO_LARGE") trimSession();
 * ```
 */
export type SessionErrorCode =
  | "ERR_SESSION_INVALID_OPTION"
  | "ERR_SESSION_INVALID_ARGUMENT"
  | "ERR_SESSION_REAUTH_REQUIRED"
  | "ERR_SESSION_UNSUPPORTED"
  | "ERR_SESSION_CONFLICT"
  | "ERR_SESSION_TOO_LARGE"
  | "ERR_SESSION_TOO_DEEP"
  | "ERR_SESSION_DESTROYED"
  | "ERR_SESSION_LIMIT"
  | "ERR_SESSION_COMMITTED";

/**
 * The one error class of `@tessera/session`, a `TesseraError` from
 * `@tessera/store`. Check `code`, never the message. `SessionError.isInstance`
 * works across duplicate copies of the package (the dual ESM/CommonJS
 * hazard), where `instanceof` would not.
 *
 * @example
 * ```ts
 * try {
 *   session.requireFresh(300);
 * } catch (error) {
 *   if (SessionError.isInstance(error) && error.code === "ERR_SESSION_REAUTH_REQUIRED") {
 *     return Response.redirect("/login?step-up=1", 303);
 *   }
 *   throw error;
 * }
 * ```
 */
export class SessionError extends TesseraError<SessionErrorCode> {
  /** `isInstance` is true for Tessera errors whose code starts with this. */
  static override readonly codePrefix: string = "ERR_SESSION_";

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "SessionError";
  }

  /**
   * The HTTP status {@link httpFailure} gives this error (401 for
   * `ERR_SESSION_REAUTH_REQUIRED`, 409 for `ERR_SESSION_CONFLICT`), else
   * undefined. Express's and Fastify's default error handlers read `status`,
   * `statusCode` and `headers`, so a `requireFresh` thrown in a route answers
   * 401 rather than 500 even without an error handler of your own.
   *
   * @example
   * ```ts
   * res.status(error.status ?? 500);
   * ```
   */
  get status(): number | undefined {
    return httpFailure(this)?.status;
  }

  /**
   * Same as {@link SessionError.status} (the http-errors convention).
   *
   * @example
   * ```ts
   * reply.code(error.statusCode ?? 500);
   * ```
   */
  get statusCode(): number | undefined {
    return httpFailure(this)?.status;
  }

  /**
   * Response headers that go with {@link SessionError.status}
   * (`Cache-Control: no-store`), else undefined.
   *
   * @example
   * ```ts
   * if (error.headers) res.set(error.headers);
   * ```
   */
  get headers(): Readonly<Record<string, string>> | undefined {
    return httpFailure(this)?.headers;
  }
}
