/**
 * Base64url (RFC 4648 §5) without padding, strict: only the 64 alphabet
 * characters, no `=`, no whitespace, and canonical trailing bits (the unused
 * low bits of the last character must be zero), so every byte string has
 * exactly one accepted text form (a signed value is never malleable into a second spelling).
 */

export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** char code → 6-bit value, or -1 for anything outside the alphabet. */
export const DECODE = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Two-character strings for every 12-bit value: halves the concatenations when encoding. */
const PAIRS = /* @__PURE__ */ (() => {
  const out: string[] = new Array(4096);
  for (let i = 0; i < 4096; i++) out[i] = ALPHABET[i >> 6]! + ALPHABET[i & 63]!;
  return out;
})();

/** Encodes bytes as unpadded base64url. */
export function encode(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  const whole = n - (n % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[v >> 12]! + PAIRS[v & 4095]!;
  }
  const rest = n - whole;
  if (rest === 1) {
    const v = bytes[i]!;
    out += ALPHABET[v >> 2]! + ALPHABET[(v & 3) << 4]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    out += PAIRS[v >> 4]! + ALPHABET[(v & 15) << 2]!;
  }
  return out;
}

/**
 * True when `text[start, end)` is canonical unpadded base64url: alphabet only,
 * a length that is not 1 mod 4, and zero unused bits in the last character.
 */
export function isCanonical(text: string, start = 0, end = text.length): boolean {
  const len = end - start;
  if (len % 4 === 1) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || DECODE[c]! < 0) return false;
  }
  if (len % 4 === 2) return (DECODE[text.charCodeAt(end - 1)]! & 15) === 0;
  if (len % 4 === 3) return (DECODE[text.charCodeAt(end - 1)]! & 3) === 0;
  return true;
}

/** Decodes canonical unpadded base64url, or returns null for anything else. */
export function decode(text: string): Uint8Array | null {
  if (typeof text !== "string" || !isCanonical(text)) return null;
  return decodeRange(text, 0, text.length);
}

/**
 * Decodes `text[start, end)` without checking it: only for a range the
 * caller has already found canonical with `isCanonical` (e.g. a JWT segment
 * after the format check), so the text is not scanned twice or sliced.
 */
export function decodeRange(text: string, start: number, end: number): Uint8Array {
  const out = new Uint8Array(((end - start) * 3) >> 2);
  let o = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const v =
      (DECODE[text.charCodeAt(i)]! << 18) |
      (DECODE[text.charCodeAt(i + 1)]! << 12) |
      (DECODE[text.charCodeAt(i + 2)]! << 6) |
      DECODE[text.charCodeAt(i + 3)]!;
    out[o] = v >> 16;
    out[o + 1] = v >> 8;
    out[o + 2] = v;
    o += 3;
  }
  const rest = end - i;
  if (rest === 2) {
    out[o] = (DECODE[text.charCodeAt(i)]! << 2) | (DECODE[text.charCodeAt(i + 1)]! >> 4);
  } else if (rest === 3) {
    const v =
      (DECODE[text.charCodeAt(i)]! << 12) |
      (DECODE[text.charCodeAt(i + 1)]! << 6) |
      DECODE[text.charCodeAt(i + 2)]!;
    out[o] = v >> 10;
    out[o + 1] = v >> 2;
  }
  return out;
}
