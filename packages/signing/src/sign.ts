import { derivedKey } from "./derive-key.js";
import { describe, SigningError } from "./errors.js";
import { type Keyring, stateOf } from "./keyring.js";
import { hmacSha256Text } from "./lib/primitives.js";
import { isWellFormed } from "./lib/runtime.js";

/** Purposes {@link sign} and {@link unsign} accept; each has its own subkey. */
export type SignPurpose = "cookie" | "csrf" | `app:${string}`;

/** Options shared by {@link sign}, {@link unsign} and {@link verifySigned}. */
export interface SignOptions {
  /**
   * Domain separation: the cookie name (or other context) the value belongs
   * to. A value signed for one context never verifies for another
   * (RFC 8725 §3.12: mutually exclusive validation). 1-64 visible ASCII characters.
   * @default none
   */
  context?: string;
  /**
   * Which subkey signs.
   * @default "cookie"
   */
  purpose?: SignPurpose;
}

/**
 * Signs a value with the keyring's primary secret: returns
 * `<value>.<kid>.<mac>`, where `mac` is HMAC-SHA256 (43 base64url characters)
 * over the UTF-8 bytes of `<value>.<kid>` under the subkey for `purpose` and
 * `context`. The value stays readable; use {@link seal} to hide it. Throws
 * on a value with a lone surrogate (not representable in UTF-8).
 *
 * @example
 * ```ts
 * const cookieValue = sign(randomToken(), keys, { context: "__Host-sid" });
 * // "Zk3v...B0g.2026-11.q2Xy...9w"
 * ```
 */
export function sign(value: string, keys: Keyring, options?: SignOptions): string {
  if (typeof value !== "string") {
    throw new SigningError(
      "ERR_SIGNING_INVALID_INPUT",
      `value to sign must be a well-formed string, got ${describe(value)}`,
    );
  }
  const entry = stateOf(keys).primary.secret;
  if (entry === undefined)
    throw new SigningError("ERR_SIGNING_NO_KEY", "the keyring holds no secret to sign with");
  const key = derivedKey(entry, options?.purpose ?? "cookie", options?.context);
  if (!isWellFormed(value)) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_INPUT",
      "value to sign holds a lone surrogate (not representable in UTF-8)",
    );
  }
  const signed = value + "." + entry.id;
  return signed + "." + hmacSha256Text(key.bytes, signed);
}
