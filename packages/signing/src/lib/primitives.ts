/**
 * The cryptographic primitives this package composes: SHA-256, HMAC-SHA256,
 * HKDF-SHA256 and random bytes. None is implemented here; each comes from
 * one of two audited sources, chosen once when the package loads:
 *
 * - `node:crypto` (OpenSSL/BoringSSL) wherever the runtime offers it through
 *   `process.getBuiltinModule`: Node >= 20.16, Bun, Deno, and Cloudflare
 *   workerd with `nodejs_compat`. It is looked up at run time rather than
 *   imported, so no `node:` import exists for an edge runtime or a bundler
 *   to trip over;
 * - otherwise `@noble/hashes` (synchronous, so `sign`, `unsign`, `hashToken`
 *   and `deriveKey` stay synchronous) and Web Crypto's `getRandomValues`:
 *   browsers, workerd without `nodejs_compat`, other edge runtimes, and Node
 *   before 20.16.
 *
 * Both give the same bytes for every input (RFC 4231, RFC 5869 and NIST
 * vectors and differential tests run on both: primitives.test.ts). AES-GCM
 * and every JOSE operation go through jose on Web Crypto instead.
 */

import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { encode } from "./b64.js";
import { webCrypto } from "./runtime.js";

/** The part of `node:crypto` this package uses, as every runtime above provides it. */
interface NodeCrypto {
  createHmac(
    algorithm: "sha256",
    key: Uint8Array,
  ): {
    update(
      data: string | Uint8Array,
      encoding?: "utf8",
    ): {
      digest(): Uint8Array;
      digest(encoding: "base64url"): string;
    };
  };
  createHash(algorithm: "sha256"): {
    update(data: string, encoding: "utf8"): { digest(encoding: "base64url" | "hex"): string };
  };
  /** One-shot hash (Node >= 20.12, Bun, Deno, workerd); a fresh hasher object is avoided. */
  hash?: (algorithm: "sha256", data: string, encoding: "base64url" | "hex") => string;
  hkdfSync(
    digest: "sha256",
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer;
  randomFillSync(buffer: Uint8Array): Uint8Array;
}

/** `node:crypto` when the runtime exposes it without an import, else undefined. */
function loadNodeCrypto(): NodeCrypto | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    if (typeof proc?.getBuiltinModule !== "function") return undefined;
    const mod = proc.getBuiltinModule("node:crypto") as Partial<NodeCrypto> | undefined;
    if (
      typeof mod?.createHmac !== "function" ||
      typeof mod.createHash !== "function" ||
      typeof mod.hkdfSync !== "function" ||
      typeof mod.randomFillSync !== "function"
    ) {
      return undefined;
    }
    return mod as NodeCrypto;
  } catch {
    return undefined;
  }
}

const node = /* @__PURE__ */ loadNodeCrypto();

/** Which source the primitives come from in this runtime (reported by tests and the runtime matrix). */
export const primitiveSource: "node:crypto" | "@noble/hashes" =
  node === undefined ? "@noble/hashes" : "node:crypto";

const encoder = new TextEncoder();

/** HMAC-SHA256 (RFC 2104) of the UTF-8 bytes of `text` (or of `data`), 32 bytes. */
export function hmacSha256(key: Uint8Array, data: string | Uint8Array): Uint8Array {
  if (node !== undefined) return node.createHmac("sha256", key).update(data, "utf8").digest();
  return hmac(sha256, key, typeof data === "string" ? encoder.encode(data) : data);
}

/**
 * HMAC-SHA256 of the UTF-8 bytes of `text` as 43 characters of unpadded
 * base64url. `text` must be well-formed: a lone surrogate would be hashed
 * as U+FFFD, so callers refuse it first.
 */
export function hmacSha256Text(key: Uint8Array, text: string): string {
  if (node !== undefined)
    return node.createHmac("sha256", key).update(text, "utf8").digest("base64url");
  return encode(hmac(sha256, key, encoder.encode(text)));
}

/** SHA-256 (FIPS 180-4) of the UTF-8 bytes of `text`, as base64url or hex. */
export function sha256Text(text: string, encoding: "base64url" | "hex"): string {
  if (node !== undefined) {
    if (node.hash !== undefined) return node.hash("sha256", text, encoding);
    return node.createHash("sha256").update(text, "utf8").digest(encoding);
  }
  const digest = sha256(encoder.encode(text));
  return encoding === "hex" ? bytesToHex(digest) : encode(digest);
}

/** HKDF-SHA256 (RFC 5869) extract and expand, `length` bytes. */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  if (node !== undefined) return new Uint8Array(node.hkdfSync("sha256", ikm, salt, info, length));
  return hkdf(sha256, ikm, salt, info, length);
}

/** `length` bytes from the CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  if (node !== undefined) return node.randomFillSync(bytes);
  webCrypto().getRandomValues(bytes);
  return bytes;
}
