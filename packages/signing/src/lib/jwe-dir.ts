/**
 * Compact JWE with `alg: "dir"` and `enc: "A256GCM"` (RFC 7516, RFC 7518
 * §4.5 and §5.3) straight on Web Crypto, for `seal` and `openSealed`.
 *
 * Why not jose: for this one fixed suite jose re-parses and re-validates the
 * header we already checked strictly, checks the key, decodes every segment
 * into its own buffer and concatenates ciphertext and tag again before
 * calling `crypto.subtle`; that bookkeeping was about a third of the CPU
 * time of a seal + unseal (the two Web Crypto calls are most of the rest). Here the protected header of a seal is built once per
 * `kid` and `typ`, each segment is decoded once, straight into the buffer
 * Web Crypto reads, and the token text is written as character codes and
 * turned into one string. Interoperability is pinned by differential tests
 * both ways against jose's `CompactEncrypt` / `compactDecrypt`
 * (seal-interop.test.ts).
 */

import { ALPHABET, DECODE, decodeRange, isCanonical } from "./b64.js";
import { webCrypto } from "./runtime.js";

/** GCM with a 96-bit IV and a 128-bit tag (RFC 7518 §5.3; NIST SP 800-38D §5.2.1.1). */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Base64url lengths of the IV and the tag. */
const IV_CHARS = 16;
const TAG_CHARS = 22;

interface Header {
  /** BASE64URL(UTF8(JWE Protected Header)). */
  readonly text: string;
  /**
   * ASCII(BASE64URL(UTF8(JWE Protected Header))): the additional
   * authenticated data of a compact JWE (RFC 7516 §5.1 step 14).
   */
  readonly aad: Uint8Array<ArrayBuffer>;
}

const headers = new Map<string, Header>();

/** Bytes encoded by `chars` canonical base64url characters. */
const decodedLength = (chars: number): number => (chars * 3) >> 2;

const CODES = /* @__PURE__ */ Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const ascii = new TextDecoder();
const encoder = new TextEncoder();
/** Scratch for token text; grown up to SCRATCH_MAX, larger tokens get their own buffer. */
let out = new Uint8Array(1024);
const SCRATCH_MAX = 16384;

/** Writes `bytes` as base64url character codes into `dst` at `o`; returns the new end. */
function put(bytes: Uint8Array, dst: Uint8Array, o: number): number {
  const n = bytes.length;
  const whole = n - (n % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    dst[o] = CODES[v >>> 18]!;
    dst[o + 1] = CODES[(v >>> 12) & 63]!;
    dst[o + 2] = CODES[(v >>> 6) & 63]!;
    dst[o + 3] = CODES[v & 63]!;
    o += 4;
  }
  if (n - whole === 1) {
    const v = bytes[i]!;
    dst[o++] = CODES[v >>> 2]!;
    dst[o++] = CODES[(v & 3) << 4]!;
  } else if (n - whole === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    dst[o++] = CODES[v >>> 10]!;
    dst[o++] = CODES[(v >>> 4) & 63]!;
    dst[o++] = CODES[(v & 15) << 2]!;
  }
  return o;
}

/** The protected header `{alg, enc, kid, typ}` (the order jose writes it in), made once. */
function header(kid: string, typ: string): Header {
  const id = `${kid}.${typ}`; // a kid never holds "."
  let found = headers.get(id);
  if (found === undefined) {
    const json = JSON.stringify({ alg: "dir", enc: "A256GCM", kid, typ });
    const bytes = encoder.encode(json);
    const aad = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
    put(bytes, aad, 0);
    found = { text: ascii.decode(aad), aad };
    // kid and typ come from configuration; the cap only guards against typ built from input.
    if (headers.size >= 256) headers.clear();
    headers.set(id, found);
  }
  return found;
}

// IVs are drawn from the CSPRNG 64 at a time: one getRandomValues call
// (about a microsecond of binding overhead in Node) per 64 seals instead of
// per seal. Each IV's bytes are handed out once; a refill allocates a new pool
// rather than overwriting bytes an earlier, possibly pending, call was given.
const POOL_IVS = 64;
let ivPool = new Uint8Array(0);
let ivAt = 0;

function nextIv(): Uint8Array<ArrayBuffer> {
  if (ivAt === ivPool.length) {
    ivPool = webCrypto().getRandomValues(new Uint8Array(IV_BYTES * POOL_IVS));
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/**
 * Encrypts `plaintext` under `key` into a compact JWE:
 * `header..iv.ciphertext.tag` (RFC 7516 §7.1; the encrypted key is empty for
 * `dir`, RFC 7518 §4.5). A fresh random 96-bit IV per token.
 */
export async function encryptDir(
  key: CryptoKey,
  kid: string,
  typ: string,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const { text, aad } = header(kid, typ);
  const iv = nextIv();
  // Web Crypto returns ciphertext ‖ tag (the tag is the last 16 bytes).
  const sealed = new Uint8Array(
    await webCrypto().subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: aad, tagLength: TAG_BYTES * 8 },
      key,
      plaintext,
    ),
  );
  const cipherBytes = sealed.length - TAG_BYTES;
  const size = 2 + IV_CHARS + 1 + Math.ceil((cipherBytes * 4) / 3) + 1 + TAG_CHARS;
  if (out.length < size && size <= SCRATCH_MAX)
    out = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(size, out.length * 2)));
  const dst = size <= out.length ? out : new Uint8Array(size);
  dst[0] = 46;
  dst[1] = 46;
  let o = put(iv, dst, 2);
  dst[o++] = 46;
  o = put(sealed.subarray(0, cipherBytes), dst, o);
  dst[o++] = 46;
  o = put(sealed.subarray(cipherBytes), dst, o);
  return text + ascii.decode(dst.subarray(0, o));
}

/**
 * Validates and decodes `text[start, end)` into `dst` at `at` in one pass:
 * true only for canonical unpadded base64url (alphabet only, a length that is
 * not 1 mod 4, zero unused bits in the last character; SECURITY KEY-07),
 * exactly what `isCanonical` accepts. On false, `dst` holds garbage.
 */
export function decodeStrict(
  text: string,
  start: number,
  end: number,
  dst: Uint8Array,
  at: number,
): boolean {
  const len = end - start;
  if ((len & 3) === 1) return false;
  // `codes` collects every character code (all must be < 128); `sextets`
  // every table value (any -1 makes it negative).
  let codes = 0;
  let sextets = 0;
  let o = at;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    codes |= c0 | c1 | c2 | c3;
    const d0 = DECODE[c0 & 127]!;
    const d1 = DECODE[c1 & 127]!;
    const d2 = DECODE[c2 & 127]!;
    const d3 = DECODE[c3 & 127]!;
    sextets |= d0 | d1 | d2 | d3;
    const v = (d0 << 18) | (d1 << 12) | (d2 << 6) | d3;
    dst[o] = v >>> 16;
    dst[o + 1] = v >>> 8;
    dst[o + 2] = v;
    o += 3;
  }
  const rest = end - i;
  if (rest === 2) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    codes |= c0 | c1;
    const d0 = DECODE[c0 & 127]!;
    const d1 = DECODE[c1 & 127]!;
    sextets |= d0 | d1 | (d1 & 15 ? -1 : 0);
    dst[o] = (d0 << 2) | (d1 >> 4);
  } else if (rest === 3) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    codes |= c0 | c1 | c2;
    const d0 = DECODE[c0 & 127]!;
    const d1 = DECODE[c1 & 127]!;
    const d2 = DECODE[c2 & 127]!;
    sextets |= d0 | d1 | d2 | (d2 & 3 ? -1 : 0);
    const v = (d0 << 12) | (d1 << 6) | d2;
    dst[o] = v >>> 10;
    dst[o + 1] = v >>> 2;
  }
  return codes < 128 && sextets >= 0;
}

/** A protected header that is exactly `{alg: "dir", enc: "A256GCM", kid, typ}`. */
export interface OpenHeader {
  readonly kid: string;
  /** The `typ` value (the caller compares it with the expected one). */
  readonly typ: unknown;
  /** ASCII of the encoded header: the AAD (RFC 7516 §5.2 step 14). */
  readonly aad: Uint8Array<ArrayBuffer>;
}

/** A token split by {@link splitDir}: all segments canonical, IV, ciphertext and tag decoded. */
export interface DirParts {
  readonly headerEnd: number;
  /** The header, or undefined when it is not exactly `{alg: "dir", enc: "A256GCM", kid, typ}`. */
  readonly header: OpenHeader | undefined;
  readonly iv: Uint8Array<ArrayBuffer>;
  /** Ciphertext ‖ tag, the layout Web Crypto reads. */
  readonly sealed: Uint8Array<ArrayBuffer>;
}

const HEADER_KEYS = 4;
// RFC 7516 §5.2 step 2 / RFC 7519 §7.2: strict UTF-8, no U+FFFD substitution.
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });
/**
 * Header texts already parsed and found to be exactly `{alg, enc, kid, typ}`
 * with `dir` and `A256GCM`: a session's cookie carries the same header on
 * every request. Parsing is a pure function of the text, so a hit is the
 * same verdict without the decode and `JSON.parse`.
 */
const openHeaders = new Map<string, OpenHeader>();

/** Parses a canonical header segment; undefined unless it is exactly the `dir` + `A256GCM` shape. */
function parseHeader(text: string): OpenHeader | undefined {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(utf8Fatal.decode(decodeRange(text, 0, text.length)));
  } catch {
    return undefined;
  }
  if (
    typeof header !== "object" ||
    header === null ||
    Object.keys(header).length !== HEADER_KEYS ||
    header.alg !== "dir" ||
    header.enc !== "A256GCM" ||
    typeof header.kid !== "string" ||
    !("typ" in header)
  ) {
    return undefined;
  }
  const aad = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) aad[i] = text.charCodeAt(i);
  const found: OpenHeader = { kid: header.kid, typ: header.typ, aad };
  // Anyone can mint valid-looking headers; the cap bounds the memory they cost.
  if (openHeaders.size >= 256) openHeaders.clear();
  openHeaders.set(text, found);
  return found;
}

/**
 * Splits and checks the compact JWE shape of a `dir` token:
 * header.(empty).iv(16).ciphertext.tag(22), every segment canonical
 * base64url (RFC 7516 §7.1; SECURITY JWT-08, KEY-07), decoding the IV,
 * ciphertext and tag as it checks them. Returns null for any other shape.
 * Nothing is decrypted here.
 */
export function splitDir(token: string): DirParts | null {
  const h = token.indexOf(".");
  if (h < 1 || token.charCodeAt(h + 1) !== 46) return null;
  const ivStart = h + 2;
  const ivEnd = ivStart + IV_CHARS;
  if (token.charCodeAt(ivEnd) !== 46) return null;
  const tagStart = token.length - TAG_CHARS;
  if (token.charCodeAt(tagStart - 1) !== 46 || tagStart - 1 <= ivEnd + 1) return null;
  if (token.indexOf(".", ivEnd + 1) !== tagStart - 1) return null;
  const cipherBytes = decodedLength(tagStart - 1 - (ivEnd + 1));
  const iv = new Uint8Array(IV_BYTES);
  const sealed = new Uint8Array(cipherBytes + TAG_BYTES);
  if (
    !decodeStrict(token, ivStart, ivEnd, iv, 0) ||
    !decodeStrict(token, ivEnd + 1, tagStart - 1, sealed, 0) ||
    !decodeStrict(token, tagStart, token.length, sealed, cipherBytes)
  ) {
    return null;
  }
  const text = token.slice(0, h);
  let header = openHeaders.get(text);
  if (header === undefined) {
    if (!isCanonical(text)) return null;
    header = parseHeader(text);
  }
  return { headerEnd: h, header, iv, sealed };
}

/**
 * Decrypts the parts of a compact `dir` + `A256GCM` JWE whose header the
 * caller has accepted. Resolves to the plaintext; rejects on any
 * authentication failure (the caller maps every rejection to one reason).
 */
export async function decryptDir(
  key: CryptoKey,
  parts: DirParts,
  header: OpenHeader,
): Promise<Uint8Array> {
  return new Uint8Array(
    await webCrypto().subtle.decrypt(
      { name: "AES-GCM", iv: parts.iv, additionalData: header.aad, tagLength: TAG_BYTES * 8 },
      key,
      parts.sealed,
    ),
  );
}
