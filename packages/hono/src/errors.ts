/**
 * Stable codes of {@link HonoSessionError}.
 *
 * - `ERR_HONO_SESSION_HEADERS_SENT`: deprecated, no longer thrown. A change
 *   after the commit began now throws `SessionError` `ERR_SESSION_COMMITTED`
 *   from `@tessera/session` itself (AD-04). Kept so existing comparisons compile.
 * - `ERR_HONO_SESSION_INVALID_OPTION`: a middleware option with a bad value.
 */
export type HonoSessionErrorCode =
  | "ERR_HONO_SESSION_HEADERS_SENT"
  | "ERR_HONO_SESSION_INVALID_OPTION";

const BRAND = Symbol.for("@tessera/hono/HonoSessionError");

/**
 * The one error class of `@tessera/hono`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   sessionMiddleware(sessions, { meta: "bad" as never });
 * } catch (error) {
 *   if (HonoSessionError.isInstance(error)) console.error(error.code); // ERR_HONO_SESSION_INVALID_OPTION
 * }
 * ```
 */
export class HonoSessionError extends Error {
  /** Stable machine-readable code, `ERR_HONO_SESSION_*`. */
  readonly code: HonoSessionErrorCode;
  readonly [BRAND] = true;

  constructor(code: HonoSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HonoSessionError";
    this.code = code;
  }

  /**
   * True when `value` is a `HonoSessionError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (HonoSessionError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance(value: unknown): value is HonoSessionError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }
}
