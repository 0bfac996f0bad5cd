import { constantTimeEqualText } from "./constant-time-equal.js";
import { describe, SigningError } from "./errors.js";
import { hmacSha256 } from "./lib/primitives.js";
import { isWellFormed, utf8 } from "./lib/runtime.js";

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Base64 (RFC 4648 §4) with the trailing `=` removed, as cookie-signature writes it. */
function base64NoPad(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += STD[v >> 18]! + STD[(v >> 12) & 63]! + STD[(v >> 6) & 63]! + STD[v & 63]!;
  }
  // 32-byte MACs leave two bytes: three characters.
  const v = (bytes[i]! << 8) | bytes[i + 1]!;
  return out + STD[v >> 10]! + STD[(v >> 4) & 63]! + STD[(v & 15) << 2]!;
}

/** The HMAC key cookie-signature uses: node:crypto's createHmac reads a string secret as UTF-8. */
function keyBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === "string" ? utf8(secret) : secret;
}

/**
 * Reads a session cookie written by express-session (through cookie-signature):
 * `s:<value>.<mac>`, where `mac` is HMAC-SHA256 over the value keyed with the
 * raw secret string, in base64 without padding. Accepts the URL-encoded form
 * (`s%3A...`) the browser sends back. Tries each old secret in turn (like
 * express-session); read-only, for migrating users to {@link sign}. Returns
 * the value or `null`; never throws on input.
 *
 * @example
 * ```ts
 * const legacyId = unsignLegacy(cookies["connect.sid"], [process.env.OLD_SESSION_SECRET!]);
 * if (legacyId !== null) {
 *   // look the old session up, then issue a new Tessera session
 * }
 * ```
 */
export function unsignLegacy(
  cookieValue: string,
  oldSecrets: readonly (string | Uint8Array)[],
): string | null {
  if (!Array.isArray(oldSecrets) || oldSecrets.length === 0) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `oldSecrets must be a non-empty array, got ${describe(oldSecrets)}`,
    );
  }
  for (const secret of oldSecrets) {
    if (
      !(typeof secret === "string" && secret.length > 0) &&
      !(secret instanceof Uint8Array && secret.length > 0)
    ) {
      throw new SigningError(
        "ERR_SIGNING_INVALID_SECRET",
        `old secrets must be non-empty strings or Uint8Arrays, got ${describe(secret)}`,
      );
    }
  }
  if (typeof cookieValue !== "string" || cookieValue.length > 4096) return null;
  let text = cookieValue;
  if (text.startsWith("s%3A") || text.startsWith("s%3a")) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  if (!text.startsWith("s:")) return null;
  const dot = text.lastIndexOf(".");
  // 32-byte HMAC → 43 base64 characters after the last dot, exactly: garbage
  // before or after the signed form never verifies.
  if (dot < 2 || text.length - dot - 1 !== 43) return null;
  const mac = text.slice(dot + 1);
  const value = text.slice(2, dot);
  // A lone surrogate would be hashed as U+FFFD: refuse it rather than let two values share a MAC.
  if (!isWellFormed(value)) return null;
  for (const secret of oldSecrets) {
    if (constantTimeEqualText(base64NoPad(hmacSha256(keyBytes(secret), value)), mac)) return value;
  }
  return null;
}
