import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link H3SessionError}.
 *
 * - `ERR_H3_INVALID_OPTION`: an option of `withSession` with a bad value.
 * - `ERR_H3_NO_SESSION`: `sessionOf(event, sessions)` on an event that
 *   `withSession(sessions, ...)`, with that same manager, did not load.
 */
export type H3SessionErrorCode = "ERR_H3_INVALID_OPTION" | "ERR_H3_NO_SESSION";

/**
 * The one error class of `@tessera/h3` (named apart from h3's own `H3Error`).
 * Check `code`, never the message; `isInstance` works across duplicate copies
 * of the package (ESM and CJS).
 *
 * @example
 * ```ts
 * try {
 *   sessionOf(event, sessions);
 * } catch (error) {
 *   if (H3SessionError.isInstance(error)) console.error(error.code); // ERR_H3_NO_SESSION
 * }
 * ```
 */
export class H3SessionError extends TesseraError<H3SessionErrorCode> {
  static override readonly codePrefix: string = "ERR_H3_";
  override readonly name: string = "H3SessionError";
}
