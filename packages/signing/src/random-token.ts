import { describe, SigningError } from "./errors.js";
import { encode, isCanonical } from "./lib/b64.js";
import { randomBytes } from "./lib/primitives.js";

function checkBytes(bytes: unknown, min: number): number {
  if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < min || bytes > 1024) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `option bytes is invalid: ${describe(bytes)} (expected an integer in ${min}..1024)`,
    );
  }
  return bytes;
}

/**
 * A random token from the CSPRNG (`node:crypto` or Web Crypto), as unpadded
 * base64url: 32 bytes (256 bits) give 43 characters, all random (OWASP Session
 * Management, "Session ID Entropy"). At least 16 bytes (128 bits, ASVS 5.0 7.2.3).
 *
 * @example
 * ```ts
 * randomToken();   // "Zk3v0b8yYQw1kq3yXj8Hq6N1pD2sV9mR4tL7cE5aB0g"
 * randomToken(16); // 22 characters
 * ```
 */
export function randomToken(bytes = 32): string {
  return encode(randomBytes(checkBytes(bytes, 16)));
}

/**
 * True when `value` has the exact shape of a {@link randomToken} of `bytes`
 * bytes: canonical base64url of the right length. Check untrusted tokens with
 * it before any lookup (`^[A-Za-z0-9_-]{43}$` for 32 bytes; OWASP: treat a
 * session id as any other user input).
 *
 * @example
 * ```ts
 * isToken(randomToken()); // true
 * isToken("abc");         // false
 * ```
 */
export function isToken(value: unknown, bytes = 32): value is string {
  checkBytes(bytes, 1);
  return (
    typeof value === "string" && value.length === Math.ceil((bytes * 4) / 3) && isCanonical(value)
  );
}
