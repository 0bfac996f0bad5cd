import { ALPHABET } from "./b64.js";
import { digest } from "./hmac-sha256.js";

/** Length of a 32-byte MAC in unpadded base64url. */
export const MAC_LENGTH = 43;

const CODES = /* @__PURE__ */ Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const text43 = new Uint8Array(MAC_LENGTH);
// Every byte written is ASCII, which UTF-8 decodes as itself: one decode makes
// one flat string instead of a rope of 43 one-character strings. (UTF-8 rather
// than latin1 because every Web runtime's TextDecoder supports it.)
const ascii = new TextDecoder();

/**
 * Writes the 32-byte digest `d` (eight big-endian words) as 43 base64url
 * character codes into `text43`, reading whole words: three 32-bit words are
 * sixteen 6-bit groups.
 */
function digestCodes(d: Int32Array): Uint8Array {
  const out = text43;
  let p = 0;
  for (let i = 0; i < 6; i += 3) {
    const a = d[i]!;
    const b = d[i + 1]!;
    const c = d[i + 2]!;
    out[p] = CODES[a >>> 26]!;
    out[p + 1] = CODES[(a >>> 20) & 63]!;
    out[p + 2] = CODES[(a >>> 14) & 63]!;
    out[p + 3] = CODES[(a >>> 8) & 63]!;
    out[p + 4] = CODES[(a >>> 2) & 63]!;
    out[p + 5] = CODES[((a & 3) << 4) | (b >>> 28)]!;
    out[p + 6] = CODES[(b >>> 22) & 63]!;
    out[p + 7] = CODES[(b >>> 16) & 63]!;
    out[p + 8] = CODES[(b >>> 10) & 63]!;
    out[p + 9] = CODES[(b >>> 4) & 63]!;
    out[p + 10] = CODES[((b & 15) << 2) | (c >>> 30)]!;
    out[p + 11] = CODES[(c >>> 24) & 63]!;
    out[p + 12] = CODES[(c >>> 18) & 63]!;
    out[p + 13] = CODES[(c >>> 12) & 63]!;
    out[p + 14] = CODES[(c >>> 6) & 63]!;
    out[p + 15] = CODES[c & 63]!;
    p += 16;
  }
  // Two words left: 64 bits are ten groups and four bits, zero-padded (canonical).
  const a = d[6]!;
  const b = d[7]!;
  out[32] = CODES[a >>> 26]!;
  out[33] = CODES[(a >>> 20) & 63]!;
  out[34] = CODES[(a >>> 14) & 63]!;
  out[35] = CODES[(a >>> 8) & 63]!;
  out[36] = CODES[(a >>> 2) & 63]!;
  out[37] = CODES[((a & 3) << 4) | (b >>> 28)]!;
  out[38] = CODES[(b >>> 22) & 63]!;
  out[39] = CODES[(b >>> 16) & 63]!;
  out[40] = CODES[(b >>> 10) & 63]!;
  out[41] = CODES[(b >>> 4) & 63]!;
  out[42] = CODES[(b & 15) << 2]!;
  return out;
}

/** `digest` (or another eight-word SHA-256 state) as 43 characters of base64url. */
export function encodeDigest(d: Int32Array = digest): string {
  return ascii.decode(digestCodes(d));
}

const HEX = /* @__PURE__ */ Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const text64 = new Uint8Array(64);

/** Eight big-endian words as 64 lowercase hex digits. */
export function encodeDigestHex(d: Int32Array): string {
  const out = text64;
  for (let i = 0; i < 8; i++) {
    const w = d[i]!;
    const o = i * 8;
    out[o] = HEX[(w >>> 28) & 15]!;
    out[o + 1] = HEX[(w >>> 24) & 15]!;
    out[o + 2] = HEX[(w >>> 20) & 15]!;
    out[o + 3] = HEX[(w >>> 16) & 15]!;
    out[o + 4] = HEX[(w >>> 12) & 15]!;
    out[o + 5] = HEX[(w >>> 8) & 15]!;
    out[o + 6] = HEX[(w >>> 4) & 15]!;
    out[o + 7] = HEX[w & 15]!;
  }
  return ascii.decode(out);
}

/**
 * True when `text[start, start + 43)` is exactly the base64url encoding of
 * `digest`. Our encoding is canonical and the alphabet maps one to one, so
 * equal characters mean equal bytes and a canonical MAC text (SECURITY
 * KEY-07): padding, a character outside the alphabet (any code, even above
 * 255) or non-zero unused trailing bits all differ from it. The comparison is
 * an XOR-accumulate over all 43 characters with no early exit and no branch
 * on secret data (KEY-06). Comparing characters rather than decoded bytes
 * skips the decode and its 43 table lookups.
 */
export function matchesDigest(text: string, start: number): boolean {
  const expected = digestCodes(digest);
  let diff = 0;
  for (let i = 0; i < MAC_LENGTH; i++) diff |= text.charCodeAt(start + i) ^ expected[i]!;
  return diff === 0;
}
