import { badOption, describe, SigningError } from "./errors.js";
import { sha256Text } from "./lib/primitives.js";

/** Options for {@link hashToken}. */
export interface HashTokenOptions {
  /**
   * Output text form: 43 base64url characters or 64 lowercase hex digits.
   * @default "base64url"
   */
  encoding?: "base64url" | "hex";
}

/**
 * SHA-256 of a token's UTF-8 bytes, for use as a store key: a store (or its
 * dump) then never holds a usable bearer token (OWASP Session Management:
 * session storage must resist disclosure).
 * Tokens carry 256 bits of entropy, so an unsalted fast hash is enough: there
 * is nothing to brute-force. The text is hashed as UTF-8 (a lone surrogate
 * counts as U+FFFD), with `node:crypto`'s one-shot hash where the runtime has
 * it, else `@noble/hashes`.
 *
 * @example
 * ```ts
 * const key = hashToken(sessionId);                      // 43 base64url characters
 * const hex = hashToken(sessionId, { encoding: "hex" }); // 64 hex digits
 * ```
 */
export function hashToken(token: string, options?: HashTokenOptions): string {
  if (typeof token !== "string") {
    throw new SigningError(
      "ERR_SIGNING_INVALID_INPUT",
      `token must be a string, got ${describe(token)}`,
    );
  }
  const encoding = options?.encoding ?? "base64url";
  if (encoding !== "base64url" && encoding !== "hex")
    badOption("encoding", encoding, '"base64url" or "hex"');
  return sha256Text(token, encoding);
}
