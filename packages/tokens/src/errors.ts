import { invalidMessage } from "@tessera/error-kit";
import { TesseraError, userIdProblem } from "@tessera/store";

/**
 * Every reason {@link TokensError} can carry. The strings are stable: match
 * on them, not on messages.
 *
 * - `ERR_TOKENS_INVALID_OPTION`: an option of `createTokens` (or of a
 *   helper) has the wrong type or value; the message names it.
 * - `ERR_TOKENS_INVALID_ARGUMENT`: an argument supplied by the application
 *   (a user id, extra claims, a binding) is unusable.
 * - `ERR_TOKENS_UNSUPPORTED`: the configuration cannot do what was asked,
 *   e.g. `revokeUser` on a store without the per-user index, or a JWKS for
 *   a symmetric (HS*) configuration.
 *
 * @example
 * ```ts
 * const code: TokensErrorCode = "ERR_TOKENS_UNSUPPORTED";
 * ```
 */
export type TokensErrorCode =
  | "ERR_TOKENS_INVALID_OPTION"
  | "ERR_TOKENS_INVALID_ARGUMENT"
  | "ERR_TOKENS_UNSUPPORTED";

/**
 * The one error this package throws, always for programmer misuse or an
 * unsupported configuration. Tokens from the network never throw: `verify`,
 * `refresh` and `verifyRequest` return `{ ok: false, reason }`. Store outages
 * are not wrapped: they reject with the store's own `StoreUnavailableError`.
 * `TokensError.isInstance` (from `TesseraError`) also recognises an error
 * thrown by another copy of this package, where `instanceof` fails.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.revokeUser("u1");
 * } catch (error) {
 *   if (TokensError.isInstance(error) && error.code === "ERR_TOKENS_UNSUPPORTED") useAnotherStore();
 * }
 * ```
 */
export class TokensError extends TesseraError<TokensErrorCode> {
  static override readonly codePrefix: string = "ERR_TOKENS_";

  constructor(code: TokensErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "TokensError";
  }
}

/** Throws ERR_TOKENS_INVALID_OPTION naming the option and its bad value. */
export function badOption(name: string, value: unknown, expected: string): never {
  throw new TokensError(
    "ERR_TOKENS_INVALID_OPTION",
    invalidMessage(`option ${name}`, value, expected),
  );
}

/**
 * Checks a user id with the store's own rule (non-empty, at most 255 code
 * units, well-formed Unicode), so no id reaches the store's per-user index or
 * a token's `sub` that a networked store would merge with another user's.
 * Throws ERR_TOKENS_INVALID_ARGUMENT.
 */
export function checkUserId(userId: unknown): string {
  const problem = userIdProblem(userId);
  if (problem !== undefined) badArgument("userId", userId, problem);
  return userId as string;
}

/** Throws ERR_TOKENS_INVALID_ARGUMENT naming the argument and its bad value. */
export function badArgument(name: string, value: unknown, expected: string): never {
  throw new TokensError("ERR_TOKENS_INVALID_ARGUMENT", invalidMessage(name, value, expected));
}
