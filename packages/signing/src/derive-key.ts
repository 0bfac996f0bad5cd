import { SigningError } from "./errors.js";
import { derivedKey, type KeyPurpose, type Keyring, stateOf } from "./keyring.js";

/** Options for {@link deriveKey}. */
export interface DeriveKeyOptions {
  /**
   * Binds the key to a context such as a cookie name (becomes the HKDF salt),
   * 1-64 visible ASCII characters.
   * @default none
   */
  context?: string;
  /**
   * Which secret to derive from.
   * @default the primary secret (`keys.primaryId`)
   */
  kid?: string;
}

/**
 * Derives the subkey this package uses for `purpose` (and `context`):
 * `HKDF-SHA256(secret, salt = context, info = "tessera/<purpose>/v1")`,
 * 32 bytes (64 for `"jwt-hs512"`). Use it for keyed work done outside this
 * package, e.g. a peppered store key, or to hand the JWT HMAC key to another
 * verifier. Returns a copy.
 *
 * @example
 * ```ts
 * const pepper = deriveKey(keys, "store-key");               // Uint8Array(32)
 * const csrfKey = deriveKey(keys, "csrf", { context: "__Host-sid", kid: "2026-05" });
 * ```
 */
export function deriveKey(
  keys: Keyring,
  purpose: KeyPurpose,
  options: DeriveKeyOptions = {},
): Uint8Array {
  const state = stateOf(keys);
  const entry = options.kid === undefined ? state.primary.secret : state.entries.get(options.kid);
  if (entry === undefined || entry.kind !== "secret") {
    throw new SigningError(
      "ERR_SIGNING_NO_KEY",
      options.kid === undefined
        ? "the keyring holds no secret"
        : `no secret with id ${options.kid}`,
    );
  }
  return derivedKey(entry, purpose, options.context).bytes.slice();
}
