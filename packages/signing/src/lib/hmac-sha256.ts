/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) tuned for short messages under a key that
 * is used many times. The padded inner and outer key blocks are hashed once per
 * key (`prepareKey`); each MAC then costs one compression per 64-byte message
 * block plus one for the outer hash, run over module-level scratch buffers, so
 * signing a 43-character token allocates nothing but its output string.
 * Correctness is pinned by RFC 4231 vectors and a property test against
 * @noble/hashes' `hmac` (hmac-sha256.test.ts).
 */

import { sha256 } from "@noble/hashes/sha2.js";

// FIPS 180-4 §4.2.2
const K = /* @__PURE__ */ Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// FIPS 180-4 §5.3.3
const IV = /* @__PURE__ */ Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

/** One SHA-256 compression of W[0..15] into `s` (FIPS 180-4 §6.2.2). */
function compress(s: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (s1 + W[t - 7]! + s0 + W[t - 16]!) | 0;
  }
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let e = s[4]!;
  let f = s[5]!;
  let g = s[6]!;
  let h = s[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
  s[4] = (s[4]! + e) | 0;
  s[5] = (s[5]! + f) | 0;
  s[6] = (s[6]! + g) | 0;
  s[7] = (s[7]! + h) | 0;
}

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
  compress(inner);
  for (let i = 0; i < 64; i++) block[i]! ^= 0x36 ^ 0x5c;
  const outer = IV.slice();
  loadBlock(block, 0);
  compress(outer);
  block.fill(0);
  return { inner, outer };
}

let scratch = new Uint8Array(1024);
const state = new Int32Array(8);
const encoder = new TextEncoder();

/** The result of the last `macString`/`macBytes` call; overwritten by the next one. */
export const digest = new Int32Array(8);

function ensure(size: number): void {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
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
    compress(state);
  }
  // Outer hash: opad block (prepared) then one block holding the inner digest.
  for (let i = 0; i < 8; i++) W[i] = state[i]!;
  W[8] = 0x80000000;
  W[9] = W[10] = W[11] = W[12] = W[13] = W[14] = 0;
  W[15] = (64 + 32) * 8;
  digest.set(key.outer);
  compress(digest);
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

/**
 * MAC of the UTF-8 encoding of `text[start, end)` into `digest`. Returns false
 * (and computes nothing) when that text holds a lone surrogate.
 */
export function macString(key: PreparedKey, text: string, start: number, end: number): boolean {
  const len = put(text, start, end, 0);
  if (len < 0) return false;
  finish(key, len);
  return true;
}

/** MAC of `first + "." + second` without building that string; false on a lone surrogate. */
export function macJoined(key: PreparedKey, first: string, second: string): boolean {
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
