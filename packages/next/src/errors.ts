import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link NextSessionError}.
 *
 * - `ERR_NEXT_INVALID_OPTION`: `createNextSessions` was given a bad
 *   manager or option, at startup.
 *
 * @example
 * ```ts
 * const code: NextSessionErrorCode = "ERR_NEXT_INVALID_OPTION";
 * ```
 */
export type NextSessionErrorCode = "ERR_NEXT_INVALID_OPTION";

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
 *   if (NextSessionError.isInstance(error)) console.error(error.code); // ERR_NEXT_INVALID_OPTION
 * }
 * ```
 */
export class NextSessionError extends TesseraError<NextSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_NEXT_";

  constructor(code: NextSessionErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "NextSessionError";
  }
}

/**
 * Throws the `ERR_NEXT_INVALID_OPTION` error a bad option gets at startup.
 *
 * @example
 * ```ts
 * if (typeof meta !== "function") invalidOption("option meta is invalid: expected a function");
 * ```
 */
export function invalidOption(message: string): never {
  throw new NextSessionError("ERR_NEXT_INVALID_OPTION", message);
}
