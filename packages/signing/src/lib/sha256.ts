/**
 * Plain SHA-256 (FIPS 180-4 §6.2) over the package's unrolled compression,
 * for `hashToken`. Tokens are short ASCII text (a 43-character session id is
 * one block once padded), so the common case packs character codes straight
 * into the message words with no UTF-8 encoding, no byte buffer and no
 * hasher object; anything else is hashed from its UTF-8 bytes. The result is
 * left in `hashState` (eight big-endian words) and read out by the caller.
 * Correctness is pinned by FIPS 180-4 / NIST vectors and a differential
 * property test against @noble/hashes (hash-token.test.ts).
 */

import { compress } from "./sha256-compress.js";

// FIPS 180-4 §5.3.3
const IV = /* @__PURE__ */ Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(16);

/** The digest of the last `sha256Ascii`/`sha256Bytes` call; overwritten by the next one. */
export const hashState = new Int32Array(8);

/**
 * Appends the padding (FIPS 180-4 §5.1.1) after `p` pending bytes of the
 * current block (the last partial word in `w`) and compresses the rest.
 */
function finish(w: number, p: number, length: number): void {
  w = (w << 8) | 0x80;
  p++;
  while ((p & 3) !== 0) {
    w <<= 8;
    p++;
  }
  W[(p >> 2) - 1] = w;
  if (p > 56) {
    for (let i = p >> 2; i < 16; i++) W[i] = 0;
    compress(hashState, W);
    p = 0;
  }
  for (let i = p >> 2; i < 14; i++) W[i] = 0;
  // Message length in bits as a 64-bit big-endian number.
  W[14] = Math.floor(length / 0x20000000);
  W[15] = (length * 8) | 0;
  compress(hashState, W);
}

/**
 * SHA-256 of `text` when every character is ASCII (then its UTF-8 bytes are
 * its character codes) into `hashState`. Returns false, with `hashState`
 * undefined, at the first character above U+007F.
 */
export function sha256Ascii(text: string): boolean {
  hashState.set(IV);
  const n = text.length;
  let w = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return false;
    w = (w << 8) | c;
    if ((++p & 3) === 0) {
      W[(p >> 2) - 1] = w;
      w = 0;
      if (p === 64) {
        compress(hashState, W);
        p = 0;
      }
    }
  }
  finish(w, p, n);
  return true;
}

/** SHA-256 of `bytes` into `hashState`. */
export function sha256Bytes(bytes: Uint8Array): void {
  hashState.set(IV);
  const n = bytes.length;
  const whole = n - (n & 63);
  let i = 0;
  for (; i < whole; i += 64) {
    for (let j = 0; j < 16; j++) {
      const k = i + j * 4;
      W[j] = (bytes[k]! << 24) | (bytes[k + 1]! << 16) | (bytes[k + 2]! << 8) | bytes[k + 3]!;
    }
    compress(hashState, W);
  }
  let w = 0;
  let p = 0;
  for (; i < n; i++) {
    w = (w << 8) | bytes[i]!;
    if ((++p & 3) === 0) {
      W[(p >> 2) - 1] = w;
      w = 0;
    }
  }
  finish(w, p, n);
}
