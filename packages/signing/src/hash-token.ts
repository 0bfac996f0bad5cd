import { badOption, describe, SigningError } from "./errors.js";
import { encodeDigest, encodeDigestHex } from "./lib/mac-text.js";
import { utf8 } from "./lib/runtime.js";
import { hashState, sha256Ascii, sha256Bytes } from "./lib/sha256.js";

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
 * dump) then never holds a usable bearer token (SECURITY ST-01, RT-01).
 * Tokens carry 256 bits of entropy, so an unsalted fast hash is enough: there
 * is nothing to brute-force. Runs on every session load, so ASCII tokens
 * (the usual case: one compression for a 43-character id) are hashed from
 * their character codes without encoding them first; other text is hashed
 * from its UTF-8 bytes (`TextEncoder`, so a lone surrogate counts as U+FFFD).
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
  if (!sha256Ascii(token)) sha256Bytes(utf8(token));
  return encoding === "hex" ? encodeDigestHex(hashState) : encodeDigest(hashState);
}
