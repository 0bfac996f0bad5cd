import { describe, SigningError } from "./errors.js";
import { type Keyring, type SecretEntry, stateOf } from "./keyring.js";
import { hkdfSha256 } from "./lib/primitives.js";
import { utf8, webCrypto } from "./lib/runtime.js";

/**
 * What a derived key is for. Each purpose gets its own HKDF-SHA256 subkey
 * (RFC 5869), so one configured secret never serves two
 * purposes:
 *
 * - `"cookie"`: {@link sign}/{@link unsign} of cookie values (default)
 * - `"csrf"`: signed CSRF tokens
 * - `"seal"`: {@link seal}/{@link unseal} (JWE `dir` + `A256GCM`)
 * - `"jwt-hs256"`, `"jwt-hs512"`: {@link signJwt}/{@link verifyJwt} with HMAC (64 bytes for HS512)
 * - `"store-key"`: peppered HMAC of session ids used as store keys
 * - `"store-encryption"`: encryption of session data at rest
 * - `"log-pepper"`: keyed hash of ids for logs and events
 * - `"refresh-token"`: pepper for refresh-token hashes
 * - `` `app:${string}` ``: application-defined purposes
 */
export type KeyPurpose =
  | "cookie"
  | "csrf"
  | "seal"
  | "jwt-hs256"
  | "jwt-hs512"
  | "store-key"
  | "store-encryption"
  | "log-pepper"
  | "refresh-token"
  | `app:${string}`;

const PURPOSES = new Set<string>([
  "cookie",
  "csrf",
  "seal",
  "jwt-hs256",
  "jwt-hs512",
  "store-key",
  "store-encryption",
  "log-pepper",
  "refresh-token",
]);

/** A subkey derived for one purpose and context, with its Web Crypto key imported once. */
export interface DerivedKey {
  readonly kid: string;
  readonly bytes: Uint8Array;
  cryptoKey: CryptoKey | Promise<CryptoKey> | undefined;
}

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

// Context becomes the HKDF salt, i.e. an HMAC key: "a" and "a\0" (zero padding)
// or a >64-byte value and its SHA-256 would alias, so the alphabet excludes NUL
// and the length stays within one block. Cookie names (RFC 9110 tokens) fit.
const CONTEXT = /^[\x21-\x7e]{1,64}$/;

const INFO_PREFIX = "tessera/";
const INFO_VERSION = "/v1";

/** Checks a purpose and returns its derived length in bytes. */
function lengthFor(purpose: string): number {
  if (!PURPOSES.has(purpose) && !/^app:[\x21-\x7e]{1,64}$/.test(purpose)) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `option purpose is invalid: ${describe(purpose)} (expected one of ${[...PURPOSES].join(", ")} or "app:<name>")`,
    );
  }
  // RFC 7518 §3.2: HS512 needs a key of at least 64 bytes.
  return purpose === "jwt-hs512" ? 64 : 32;
}

/**
 * The subkey of `entry` for `purpose` and `context`, derived once and cached:
 * `HKDF-SHA256(IKM = secret, salt = context, info = "tessera/<purpose>/v1")`
 * (RFC 5869 §2). The raw secret never keys an HMAC directly: HMAC treats `K`
 * and `K` followed by zero bytes as one key, which HKDF's extract step avoids.
 */
export function derivedKey(
  entry: SecretEntry,
  purpose: string,
  context: string | undefined,
): DerivedKey {
  // Keyed by the context as given (undefined for none): only checked contexts
  // are ever stored, so a hit is always valid and "" never aliases "none".
  let byContext = entry.derived.get(purpose);
  let found = byContext?.get(context);
  if (found !== undefined) return found;
  const length = lengthFor(purpose);
  if (context !== undefined && (typeof context !== "string" || !CONTEXT.test(context))) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `option context is invalid: ${describe(context)} (expected 1-64 visible ASCII characters, e.g. a cookie name)`,
    );
  }
  const bytes = hkdfSha256(
    entry.secret,
    utf8(context ?? ""),
    utf8(INFO_PREFIX + purpose + INFO_VERSION),
    length,
  );
  found = { kid: entry.id, bytes, cryptoKey: undefined };
  if (byContext === undefined) {
    byContext = new Map();
    entry.derived.set(purpose, byContext);
  }
  // Contexts come from configuration, not requests; the cap only guards
  // against a caller that builds contexts from input.
  if (byContext.size < 1024) byContext.set(context, found);
  return found;
}

/**
 * The Web Crypto key of a derived subkey, imported once (non-extractable)
 * and cached beside its bytes, so concurrent callers share one import.
 */
export function importedKey(
  derived: DerivedKey,
  algorithm: AlgorithmIdentifier | HmacImportParams,
  usages: KeyUsage[],
): CryptoKey | Promise<CryptoKey> {
  if (derived.cryptoKey !== undefined) return derived.cryptoKey;
  const pending = webCrypto()
    .subtle.importKey("raw", derived.bytes as Uint8Array<ArrayBuffer>, algorithm, false, usages)
    .then((imported) => {
      derived.cryptoKey = imported;
      return imported;
    });
  derived.cryptoKey = pending;
  return pending;
}
