import { decode, encode } from "./lib/b64.js";

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5).
 *
 * @example
 * ```ts
 * encodeBase64Url(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes);
}

/**
 * Decodes strict base64url (RFC 4648 §5): alphabet only, no padding, no
 * whitespace, canonical trailing bits. Anything else yields `null`, never an
 * exception, so the result is safe on network input and each byte string has
 * one accepted text form (a token is never malleable into a second spelling).
 *
 * @example
 * ```ts
 * decodeBase64Url("-_8");  // Uint8Array [251, 255]
 * decodeBase64Url("-_9");  // null (non-zero unused bits)
 * decodeBase64Url("-_8="); // null (padding)
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array | null {
  return decode(text);
}
