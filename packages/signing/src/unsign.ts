import { constantTimeEqualText } from "./constant-time-equal.js";
import { derivedKey } from "./derive-key.js";
import { type Keyring, stateOf } from "./keyring.js";
import { hmacSha256Text } from "./lib/primitives.js";
import { isWellFormed } from "./lib/runtime.js";
import type { SignOptions } from "./sign.js";

/** Why a signed value was refused. */
export type UnsignFailure =
  /** Not a string, empty, or not `<value>.<kid>.<mac>` with a 43-character MAC. */
  | "malformed"
  /** Longer than `maxLength`. */
  | "too_large"
  /** The key id is not in the keyring (no other key is tried). */
  | "unknown_key"
  /** The MAC does not match (tampered, other context/purpose, non-canonical). */
  | "bad_signature";

/** Result of {@link verifySigned}. */
export type VerifySignedResult =
  | {
      ok: true;
      /** The original value. */
      value: string;
      /** Id of the key that verified it. */
      kid: string;
      /** True when that key is not the primary: re-sign and re-send, so rotation completes. */
      needsReissue: boolean;
    }
  | { ok: false; reason: UnsignFailure };

/** Options for {@link unsign} and {@link verifySigned}. */
export interface UnsignOptions extends SignOptions {
  /**
   * Inputs longer than this many characters are refused before any work.
   * @default 4096 (RFC 6265bis §5.6: a cookie's name and value fit in 4096 octets)
   */
  maxLength?: number;
}

const DEFAULT_MAX = 4096;
/** Length of a 32-byte MAC in unpadded base64url. */
const MAC_LENGTH = 43;

// Status codes of `check`: >= 0 is the index of the dot before the kid.
const MALFORMED = -1;
const TOO_LARGE = -2;
const UNKNOWN = -3;
const BAD = -4;

/**
 * Parses by the last two dots with exact MAC length (a value may hold dots) and
 * checks the MAC: the expected MAC text is computed over `<value>.<kid>` and
 * compared with the received one in constant time. Our encoding is canonical
 * and the alphabet maps one to one, so only the canonical text can match:
 * padding, other characters or non-zero unused bits all differ.
 */
function check(signed: unknown, keys: Keyring, options: UnsignOptions | undefined): number {
  const state = stateOf(keys);
  if (typeof signed !== "string") return MALFORMED;
  const n = signed.length;
  if (n > (options?.maxLength ?? DEFAULT_MAX)) return TOO_LARGE;
  const macDot = n - MAC_LENGTH - 1;
  if (macDot < 2 || signed.charCodeAt(macDot) !== 46) return MALFORMED;
  const kidDot = signed.lastIndexOf(".", macDot - 1);
  if (kidDot < 0 || kidDot === macDot - 1) return MALFORMED;
  const entry = state.entries.get(signed.slice(kidDot + 1, macDot));
  if (entry === undefined || entry.kind !== "secret") return UNKNOWN;
  const key = derivedKey(entry, options?.purpose ?? "cookie", options?.context);
  // sign() refuses lone surrogates; hashing one as U+FFFD would let "a\uD800" pass as "a\uFFFD".
  if (!isWellFormed(signed)) return BAD;
  const body = signed.slice(0, macDot);
  return constantTimeEqualText(hmacSha256Text(key.bytes, body), signed.slice(macDot + 1))
    ? kidDot
    : BAD;
}

/**
 * Verifies a value made by {@link sign} and returns the original value, or
 * `null` for anything malformed, tampered, signed under another context or
 * purpose, or under a key no longer in the keyring. Never throws on input
 * (it does throw if `keys` is not a keyring or an option is invalid). Use
 * {@link verifySigned} to learn why, or whether to re-sign.
 *
 * @example
 * ```ts
 * const id = unsign(cookieValue, keys, { context: "__Host-sid" }); // string | null
 * ```
 */
export function unsign(signed: string, keys: Keyring, options?: UnsignOptions): string | null {
  const kidDot = check(signed, keys, options);
  return kidDot < 0 ? null : signed.slice(0, kidDot);
}

/**
 * Like {@link unsign}, with the outcome spelled out: the value, the key id
 * and `needsReissue` (verified by a key other than the primary), or a
 * failure reason for logs and tests. Never throws on input.
 *
 * @example
 * ```ts
 * const result = verifySigned(cookieValue, keys, { context: "__Host-sid" });
 * if (!result.ok) log("bad cookie", result.reason);
 * else if (result.needsReissue) setCookie(sign(result.value, keys, { context: "__Host-sid" }));
 * ```
 */
export function verifySigned(
  signed: string,
  keys: Keyring,
  options?: UnsignOptions,
): VerifySignedResult {
  const kidDot = check(signed, keys, options);
  if (kidDot >= 0) {
    const kid = signed.slice(kidDot + 1, signed.length - MAC_LENGTH - 1);
    return {
      ok: true,
      value: signed.slice(0, kidDot),
      kid,
      needsReissue: stateOf(keys).primary.secret?.id !== kid,
    };
  }
  const reason: UnsignFailure =
    kidDot === TOO_LARGE
      ? "too_large"
      : kidDot === UNKNOWN
        ? "unknown_key"
        : kidDot === BAD
          ? "bad_signature"
          : "malformed";
  return { ok: false, reason };
}
