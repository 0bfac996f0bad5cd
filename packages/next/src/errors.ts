/**
 * Stable codes of {@link NextSessionError}.
 *
 * - `ERR_NEXT_SESSION_INVALID_OPTION`: `createNextSessions` was given a bad
 *   manager or option, at startup.
 *
 * @example
 * ```ts
 * const code: NextSessionErrorCode = "ERR_NEXT_SESSION_INVALID_OPTION";
 * ```
 */
export type NextSessionErrorCode = "ERR_NEXT_SESSION_INVALID_OPTION";

const BRAND = Symbol.for("@tessera/next/NextSessionError");

/**
 * The one error class of `@tessera/next`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package (Next.js may
 * bundle one copy per runtime).
 *
 * @example
 * ```ts
 * try {
 *   createNextSessions(sessions, { meta: "bad" as never });
 * } catch (error) {
 *   if (NextSessionError.isInstance(error)) console.error(error.code); // ERR_NEXT_SESSION_INVALID_OPTION
 * }
 * ```
 */
export class NextSessionError extends Error {
  /** Stable machine-readable code, `ERR_NEXT_SESSION_*`. */
  readonly code: NextSessionErrorCode;
  readonly [BRAND] = true;

  constructor(code: NextSessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NextSessionError";
    this.code = code;
  }

  /**
   * True when `value` is a `NextSessionError` from any copy of this package.
   *
   * @example
   * ```ts
   * if (NextSessionError.isInstance(error)) console.log(error.code);
   * ```
   */
  static isInstance(value: unknown): value is NextSessionError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }
}
