import { SigningError } from "../errors.js";

/**
 * Web Crypto, read lazily so that importing this package never fails on a
 * runtime without it; only the first operation that needs it does, clearly.
 */
export function webCrypto(): Crypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c === undefined || typeof c.getRandomValues !== "function" || c.subtle === undefined) {
    throw new SigningError(
      "ERR_SIGNING_NO_WEB_CRYPTO",
      "globalThis.crypto with getRandomValues and subtle is required (Node >= 20, Bun, Deno, browsers, edge runtimes)",
    );
  }
  return c;
}

/**
 * True when `NODE_ENV` is "production". Read through a guarded global lookup
 * so the package needs no `node:` import and works where `process` is absent.
 */
export function isProduction(): boolean {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    return env?.NODE_ENV === "production";
  } catch {
    return false;
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(value: string): Uint8Array {
  return encoder.encode(value);
}

// A lone surrogate has no UTF-8 encoding: encoders write U+FFFD instead, so two
// different strings would share one MAC.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` holds no lone surrogate (`String.prototype.isWellFormed`, ES2024, where present). */
export function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof native === "function" ? native.call(text) : !LONE_SURROGATE.test(text);
}
