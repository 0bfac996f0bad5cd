import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link SvelteKitSessionError}.
 *
 * - `ERR_SVELTEKIT_INVALID_OPTION`: `sessionHandle` was given something other
 *   than a manager from `createSessions()`, or an option with a bad value.
 */
export type SvelteKitSessionErrorCode = "ERR_SVELTEKIT_INVALID_OPTION";

/**
 * The one error class of `@tessera/sveltekit`. Check `code`, never the
 * message; `isInstance` works across duplicate copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   sessionHandle(sessions, { meta: "bad" as never });
 * } catch (error) {
 *   if (SvelteKitSessionError.isInstance(error)) console.error(error.code); // ERR_SVELTEKIT_INVALID_OPTION
 * }
 * ```
 */
export class SvelteKitSessionError extends TesseraError<SvelteKitSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_SVELTEKIT_";
  override readonly name: string = "SvelteKitSessionError";
}
