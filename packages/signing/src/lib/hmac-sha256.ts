/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) tuned for short messages under a key that
 * is used many times. The padded inner and outer key blocks are hashed once per
 * key (`prepareKey`); each MAC then costs one compression per 64-byte message
 * block plus one for the outer hash, run over module-level scratch buffers, so
 * signing a 43-character token allocates nothing but its output string.
 * The compression itself is in sha256-compress.ts.
 * Correctness is pinned by RFC 4231 vectors and a property test against
 * @noble/hashes' `hmac` (hmac-sha256.test.ts).
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { compress } from "./sha256-compress.js";

// FIPS 180-4 §5.3.3
const IV = /* @__PURE__ */ Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message block being compressed, as 16 big-endian words. */
const W = new Int32Array(16);

function loadBlock(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
  }
}

/** The two hash states left after absorbing the padded key blocks. */
export interface PreparedKey {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/** Hashes the ipad and opad blocks once (RFC 2104 §2); keys over 64 bytes are hashed first. */
export function prepareKey(key: Uint8Array): PreparedKey {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  for (let i = 0; i < 64; i++) block[i]! ^= 0x36;
  const inner = IV.slice();
  loadBlock(block, 0);
  compress(inner, W);
  for (let i = 0; i < 64; i++) block[i]! ^= 0x36 ^ 0x5c;
  const outer = IV.slice();
  loadBlock(block, 0);
  compress(outer, W);
  block.fill(0);
  return { inner, outer };
}

let scratch = new Uint8Array(1024);
const state = new Int32Array(8);
const encoder = new TextEncoder();

/** The result of the last `macString`/`macBytes` call; overwritten by the next one. */
export const digest = new Int32Array(8);

function ensure(size: number): void {
  if (scratch.length < size) {
    // Keep what is already written: `put` grows the buffer between two parts of one message.
    const grown = new Uint8Array(Math.max(size, scratch.length * 2));
    grown.set(scratch);
    scratch = grown;
  }
}

/** Pads `len` message bytes in the scratch and runs both hashes; result in `digest`. */
function finish(key: PreparedKey, len: number): void {
  // FIPS 180-4 §5.1.1: 0x80, zeros, then the bit length of ipad block + message.
  const total = (len + 9 + 63) & ~63;
  ensure(total);
  const buf = scratch;
  buf[len] = 0x80;
  buf.fill(0, len + 1, total - 8);
  const bits = (len + 64) * 8;
  const hi = Math.floor(bits / 0x100000000);
  buf[total - 8] = hi >>> 24;
  buf[total - 7] = hi >>> 16;
  buf[total - 6] = hi >>> 8;
  buf[total - 5] = hi;
  buf[total - 4] = bits >>> 24;
  buf[total - 3] = bits >>> 16;
  buf[total - 2] = bits >>> 8;
  buf[total - 1] = bits;
  state.set(key.inner);
  for (let off = 0; off < total; off += 64) {
    loadBlock(buf, off);
    compress(state, W);
  }
  outer(key);
}

// A lone surrogate encodes as U+FFFD, so two different strings would share one MAC.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Writes the UTF-8 bytes of `text[start, end)` at `at`; returns the new end, or -1 on a lone surrogate. */
function put(text: string, start: number, end: number, at: number): number {
  ensure(at + (end - start) * 3 + 72);
  const buf = scratch;
  let i = start;
  let o = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) break;
    buf[o++] = c;
  }
  if (i < end) {
    const rest = text.slice(i, end);
    if (LONE_SURROGATE.test(rest)) return -1;
    o += encoder.encodeInto(rest, buf.subarray(o)).written;
  }
  return o;
}

// ASCII streaming: the common case (tokens, key ids, base64url JWT signing
// input) packs character codes straight into the message words W[0..15],
// compressing every 64 bytes, with no UTF-8 scratch buffer, no fill and no
// byte-to-word reload. `acc` holds the pending bytes of a partial word, `pos`
// the bytes in the current block and `total` the message length so far.
let acc = 0;
let pos = 0;
let total = 0;

function streamStart(key: PreparedKey): void {
  state.set(key.inner);
  acc = 0;
  pos = 0;
  total = 0;
}

/** Streams `text[start, end)`; false (state undefined) at the first non-ASCII character. */
function streamAscii(text: string, start: number, end: number): boolean {
  let w = acc;
  let p = pos;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) return false;
    w = (w << 8) | c;
    if ((++p & 3) === 0) {
      W[(p >> 2) - 1] = w;
      w = 0;
      if (p === 64) {
        compress(state, W);
        p = 0;
      }
    }
  }
  acc = w;
  pos = p;
  total += end - start;
  return true;
}

/** Pads the stream (FIPS 180-4 §5.1.1), finishes the inner hash and runs the outer one. */
function streamFinish(key: PreparedKey): void {
  let w = (acc << 8) | 0x80;
  let p = pos + 1;
  while ((p & 3) !== 0) {
    w <<= 8;
    p++;
  }
  W[(p >> 2) - 1] = w;
  if (p > 56) {
    for (let i = p >> 2; i < 16; i++) W[i] = 0;
    compress(state, W);
    p = 0;
  }
  for (let i = p >> 2; i < 14; i++) W[i] = 0;
  // Bit length of the ipad block and the message, as a 64-bit big-endian number.
  const bits = (total + 64) * 8;
  W[14] = Math.floor(bits / 0x100000000);
  W[15] = bits | 0;
  compress(state, W);
  outer(key);
}

/** Outer hash: opad block (prepared) then one block holding the inner digest. */
function outer(key: PreparedKey): void {
  for (let i = 0; i < 8; i++) W[i] = state[i]!;
  W[8] = 0x80000000;
  W[9] = W[10] = W[11] = W[12] = W[13] = W[14] = 0;
  W[15] = (64 + 32) * 8;
  digest.set(key.outer);
  compress(digest, W);
}

/**
 * MAC of the UTF-8 encoding of `text[start, end)` into `digest`. Returns false
 * (and computes nothing) when that text holds a lone surrogate.
 */
export function macString(key: PreparedKey, text: string, start: number, end: number): boolean {
  streamStart(key);
  if (streamAscii(text, start, end)) {
    streamFinish(key);
    return true;
  }
  const len = put(text, start, end, 0);
  if (len < 0) return false;
  finish(key, len);
  return true;
}

/** MAC of `first + "." + second` without building that string; false on a lone surrogate. */
export function macJoined(key: PreparedKey, first: string, second: string): boolean {
  streamStart(key);
  if (
    streamAscii(first, 0, first.length) &&
    streamAscii(".", 0, 1) &&
    streamAscii(second, 0, second.length)
  ) {
    streamFinish(key);
    return true;
  }
  let len = put(first, 0, first.length, 0);
  if (len < 0) return false;
  scratch[len++] = 46;
  len = put(second, 0, second.length, len);
  if (len < 0) return false;
  finish(key, len);
  return true;
}

/** MAC of `bytes` into `digest`. */
export function macBytes(key: PreparedKey, bytes: Uint8Array): void {
  ensure(bytes.length + 72);
  scratch.set(bytes);
  finish(key, bytes.length);
}

/** Copies `digest` out as 32 bytes. */
export function digestBytes(): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = digest[i]!;
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = w >>> 16;
    out[i * 4 + 2] = w >>> 8;
    out[i * 4 + 3] = w;
  }
  return out;
}
