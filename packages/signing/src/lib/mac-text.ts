import { ALPHABET, DECODE } from "./b64.js";
import { digest } from "./hmac-sha256.js";

/** Length of a 32-byte MAC in unpadded base64url. */
export const MAC_LENGTH = 43;

function digestByte(j: number): number {
  return (digest[j >> 2]! >>> (24 - 8 * (j & 3))) & 255;
}

const CODES = /* @__PURE__ */ Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const text43 = new Uint8Array(MAC_LENGTH);
// Every byte written is ASCII, which UTF-8 decodes as itself: one decode makes
// one flat string instead of a rope of 43 one-character strings. (UTF-8 rather
// than latin1 because every Web runtime's TextDecoder supports it.)
const ascii = new TextDecoder();

/** `digest` as 43 characters of base64url. */
export function encodeDigest(): string {
  const out = text43;
  let p = 0;
  for (let j = 0; j < 30; j += 3) {
    const v = (digestByte(j) << 16) | (digestByte(j + 1) << 8) | digestByte(j + 2);
    out[p++] = CODES[v >> 18]!;
    out[p++] = CODES[(v >> 12) & 63]!;
    out[p++] = CODES[(v >> 6) & 63]!;
    out[p++] = CODES[v & 63]!;
  }
  const v = (digestByte(30) << 8) | digestByte(31);
  out[p++] = CODES[v >> 10]!;
  out[p++] = CODES[(v >> 4) & 63]!;
  out[p] = CODES[(v & 15) << 2]!;
  return ascii.decode(out);
}

function sextet(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? DECODE[c]! : -1;
}

/**
 * Compares `text[start, start + 43)` with `digest`, decoding strictly: a
 * character outside the alphabet or non-zero unused trailing bits fails, so
 * only the canonical encoding matches (SECURITY KEY-07). The secret-dependent
 * comparison is an XOR-accumulate with no early exit (KEY-06); branches depend
 * only on the attacker's own characters.
 */
export function matchesDigest(text: string, start: number): boolean {
  let diff = 0;
  let bad = 0;
  let p = start;
  for (let j = 0; j < 30; j += 3) {
    const a = sextet(text, p);
    const b = sextet(text, p + 1);
    const c = sextet(text, p + 2);
    const d = sextet(text, p + 3);
    p += 4;
    bad |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    diff |= ((v >> 16) & 255) ^ digestByte(j);
    diff |= ((v >> 8) & 255) ^ digestByte(j + 1);
    diff |= (v & 255) ^ digestByte(j + 2);
  }
  const a = sextet(text, p);
  const b = sextet(text, p + 1);
  const c = sextet(text, p + 2);
  bad |= a | b | c;
  bad |= -(c & 3); // canonical: the two unused low bits must be zero
  const v = (a << 12) | (b << 6) | c;
  diff |= ((v >> 10) & 255) ^ digestByte(30);
  diff |= ((v >> 2) & 255) ^ digestByte(31);
  return (diff | (bad < 0 ? 1 : 0)) === 0;
}
