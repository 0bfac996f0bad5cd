import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { badOption, describe, SigningError } from "./errors.js";
import { encode } from "./lib/b64.js";
import { utf8 } from "./lib/runtime.js";

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
 * is nothing to brute-force.
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
  const digest = sha256(utf8(token));
  return encoding === "hex" ? bytesToHex(digest) : encode(digest);
}
