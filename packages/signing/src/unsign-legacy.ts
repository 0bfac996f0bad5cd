import { describe, SigningError } from "./errors.js";
import { digestBytes, macString, type PreparedKey, prepareKey } from "./lib/hmac-sha256.js";
import { utf8 } from "./lib/runtime.js";

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

function equalText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// Old secrets are configuration, so their prepared states are kept; the cap
// guards against a caller that passes fresh secrets on every request.
const prepared = new Map<string | Uint8Array, PreparedKey>();

function preparedFor(secret: string | Uint8Array): PreparedKey {
  let key = prepared.get(secret);
  if (key === undefined) {
    // cookie-signature hands the secret to node:crypto createHmac, which reads
    // a string as UTF-8 and hashes keys longer than the block first (RFC 2104 §2).
    key = prepareKey(typeof secret === "string" ? utf8(secret) : secret);
    if (prepared.size >= 64) prepared.clear();
    prepared.set(secret, key);
  }
  return key;
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
  // 32-byte HMAC → 43 base64 characters after the last dot, exactly (KEY-08).
  if (dot < 2 || text.length - dot - 1 !== 43) return null;
  const mac = text.slice(dot + 1);
  for (const secret of oldSecrets) {
    if (!macString(preparedFor(secret), text, 2, dot)) return null;
    if (equalText(base64NoPad(digestBytes()), mac)) return text.slice(2, dot);
  }
  return null;
}
