import type { JWK } from "jose";
import type { DerivedKey } from "./derive-key.js";
import { describe, SigningError } from "./errors.js";
import { isProduction } from "./lib/runtime.js";
import { readSecretText } from "./lib/secret-text.js";
import { weakBytes, weakHex, weakText } from "./lib/weak-secret.js";

/** A symmetric key: signs values, seals, and signs HS256/HS512 JWTs (through derived subkeys). */
export interface SecretKeyInput {
  /** Key id written into every signed form, `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  /**
   * At least 32 bytes of CSPRNG output: a `Uint8Array` (a Node buffer too;
   * copied), or its text. A string of hex digits in one case is hex
   * (`openssl rand -hex 32`); any other string is base64 (`openssl rand
   * -base64 32`) or base64url (`randomToken(32)`), padded or not. The key is
   * the decoded bytes, so every spelling of one secret is the same key.
   */
  secret: Uint8Array | string;
}

/** Asymmetric JWT signing algorithms this package supports. */
export type KeyPairAlgorithm = "EdDSA" | "ES256";

/** An Ed25519 or P-256 key pair (see {@link generateKeyPair} and {@link importKeyPair}). */
export interface KeyPairInput {
  /** Key id (`kid`), `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  /** `"EdDSA"` (Ed25519) or `"ES256"` (ECDSA P-256). */
  alg: KeyPairAlgorithm;
  /** The public half; published by {@link exportJwks}. */
  publicKey: CryptoKey;
  /** The private half; omit for a verify-only key (e.g. another service's). */
  privateKey?: CryptoKey;
}

/** One keyring entry. */
export type KeyInput = SecretKeyInput | KeyPairInput;

/** Options for {@link createKeyring}. */
export interface KeyringOptions {
  /**
   * Accept secrets that look like passwords or copied examples (RFC 8725
   * §3.5), recording each in `keyring.warnings`. Never honoured when
   * `NODE_ENV` is `"production"`: there a weak secret always throws.
   * Secrets under 32 bytes are refused regardless.
   * @default false
   */
  allowWeakSecrets?: boolean;
}

/**
 * A set of named keys. For each kind (secrets, EdDSA pairs, ES256 pairs) the
 * first entry of that kind signs and every entry verifies, so a key rotates by
 * prepending the new one and removing the old one after the longest token
 * lifetime. Secrets are held privately; the object exposes only ids.
 */
export interface Keyring {
  /** Every key id, in configuration order. */
  readonly ids: readonly string[];
  /** Id of the secret that signs values, seals and HS* JWTs, if any secret is configured. */
  readonly primaryId: string | undefined;
  /** Weak secrets accepted under `allowWeakSecrets` (development only). */
  readonly warnings: readonly string[];
  /** True when a key with this id is in the keyring. */
  has(id: string): boolean;
}

/** @internal A checked secret and the subkeys derived from it so far. */
export interface SecretEntry {
  readonly kind: "secret";
  readonly id: string;
  readonly secret: Uint8Array;
  /** purpose → context (undefined when none) → derived key. */
  readonly derived: Map<string, Map<string | undefined, DerivedKey>>;
}

/** @internal A checked Ed25519 or P-256 key pair. */
export interface PairEntry {
  readonly kind: KeyPairAlgorithm;
  readonly id: string;
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey | undefined;
}

/** @internal One keyring entry, after validation. */
export type Entry = SecretEntry | PairEntry;

/** @internal What a keyring holds behind its public face: every entry and the signer of each kind. */
export interface KeyringState {
  readonly entries: Map<string, Entry>;
  readonly primary: {
    secret: SecretEntry | undefined;
    EdDSA: PairEntry | undefined;
    ES256: PairEntry | undefined;
  };
  jwks: Promise<JsonWebKeySetOut> | undefined;
}

/** The JWKS document {@link exportJwks} returns (RFC 7517 §5). */
export interface JsonWebKeySetOut {
  keys: JWK[];
}

const STATE: unique symbol = Symbol("@tessera/signing.keyring") as never;

/** A key id: safe in cookies, headers and log lines, never a separator. */
export const KID = /^[A-Za-z0-9_-]{1,64}$/;
/** At most one primary plus this many verification-only keys, so a verifier tries a bounded set. */
export const MAX_VERIFY_KEYS = 10;
/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
export const MIN_SECRET_BYTES = 32;

/** Internal state of a keyring made by {@link createKeyring}; throws on anything else. */
export function stateOf(keys: Keyring): KeyringState {
  const state = (keys as { [STATE]?: KeyringState } | null | undefined)?.[STATE];
  if (state === undefined) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEYRING",
      `expected a keyring from createKeyring(), got ${describe(keys)}`,
    );
  }
  return state;
}

// Both commands print 32 CSPRNG bytes in a format createKeyring reads
// (`node -e` sees node:crypto as the global `crypto`).
const GENERATE =
  "generate one with `openssl rand -base64 32` or " +
  "`node -e \"console.log(crypto.randomBytes(32).toString('base64url'))\"`";

function secretBytes(
  input: SecretKeyInput,
  options: KeyringOptions,
  warnings: string[],
): Uint8Array {
  const { id, secret } = input;
  let why: string | undefined;
  let bytes: Uint8Array | null;
  let format = "bytes";
  let invalid: string | undefined;
  if (typeof secret === "string") {
    if (secret === "") {
      throw new SigningError(
        "ERR_SIGNING_SECRET_TOO_SHORT",
        `key ${id}: secret is empty (is its environment variable set?); ${GENERATE}`,
      );
    }
    const read = readSecretText(secret);
    ({ bytes, format, invalid } = read);
    if (read.format === "hex") {
      // Length first for hex, as for bytes: short hex is `openssl rand -hex 16`.
      why = bytes !== null && bytes.length >= MIN_SECRET_BYTES ? weakHex(secret, bytes) : undefined;
    } else {
      // The text rules first (they name the phrase in "keyboard cat"), then
      // the decoded bytes: base64 of a typed phrase is still a typed phrase.
      why = weakText(bytes === null ? secret : read.normal);
      if (why === undefined && bytes !== null && bytes.length >= MIN_SECRET_BYTES) {
        why = weakBytes(bytes);
      }
    }
  } else if (secret instanceof Uint8Array) {
    // A copy, not slice(): on a Node buffer slice() is a view, and a caller
    // that scrubs its buffer would silently change the key.
    bytes = new Uint8Array(secret);
    // Length first for bytes: a short key is refused whatever it looks like.
    why = bytes.length < MIN_SECRET_BYTES ? undefined : weakBytes(bytes);
  } else {
    throw new SigningError(
      "ERR_SIGNING_INVALID_SECRET",
      `key ${id}: secret must be a Uint8Array or a hex, base64 or base64url string, got ${describe(secret)}`,
    );
  }
  if (why !== undefined && (options.allowWeakSecrets !== true || isProduction())) {
    throw new SigningError(
      "ERR_SIGNING_WEAK_SECRET",
      `key ${id}: secret ${why}; a secret must be CSPRNG output: ${GENERATE}` +
        (options.allowWeakSecrets === true
          ? " (allowWeakSecrets is ignored when NODE_ENV=production)"
          : ""),
    );
  }
  if (bytes === null) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_SECRET",
      `key ${id}: secret is not valid ${format} text: it ${invalid}; a string secret is hex (one case), base64 or base64url; ${GENERATE}`,
    );
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SigningError(
      "ERR_SIGNING_SECRET_TOO_SHORT",
      `key ${id}: secret has ${bytes.length} bytes${format === "bytes" ? "" : ` (read as ${format})`}; at least ${MIN_SECRET_BYTES} bytes of CSPRNG output are required (RFC 7518 §3.2): ` +
        (format === "hex" ? "generate one with `openssl rand -hex 32`" : GENERATE),
    );
  }
  if (why !== undefined)
    warnings.push(`key ${id}: weak secret accepted by allowWeakSecrets: ${why}`);
  return bytes;
}

function checkPair(input: KeyPairInput): PairEntry {
  const { id, alg, publicKey, privateKey } = input;
  if (alg !== "EdDSA" && alg !== "ES256") {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY",
      `key ${id}: alg must be "EdDSA" or "ES256", got ${describe(alg)}`,
    );
  }
  const fits = (key: unknown, type: "public" | "private"): boolean => {
    if (typeof key !== "object" || key === null) return false;
    const k = key as CryptoKey;
    const algorithm = k.algorithm as { name?: string; namedCurve?: string } | undefined;
    if (k.type !== type || algorithm === undefined) return false;
    return alg === "EdDSA"
      ? algorithm.name === "Ed25519"
      : algorithm.name === "ECDSA" && algorithm.namedCurve === "P-256";
  };
  const want = alg === "EdDSA" ? "an Ed25519" : "an ECDSA P-256";
  if (!fits(publicKey, "public")) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY",
      `key ${id}: publicKey must be ${want} public CryptoKey`,
    );
  }
  if (privateKey !== undefined && !fits(privateKey, "private")) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEY",
      `key ${id}: privateKey must be ${want} private CryptoKey`,
    );
  }
  return { kind: alg, id, publicKey, privateKey };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Builds a keyring from named keys. The first secret signs; every key
 * verifies. Validation (RFC 7518 §3.2 key length, RFC 8725 §3.5 no passwords): ids are
 * `[A-Za-z0-9_-]{1,64}` and unique; secrets (bytes, hex, base64 or base64url,
 * see {@link SecretKeyInput.secret}) decode to at least 32 bytes and do not
 * look like passwords; no two entries share key bytes; at most 11 entries
 * (one primary and 10 verification keys).
 *
 * @example
 * ```ts
 * const keys = createKeyring([
 *   { id: "2026-11", secret: process.env.SECRET_2026_11! }, // signs
 *   { id: "2026-05", secret: process.env.SECRET_2026_05! }, // still verifies
 * ]);
 * ```
 */
export function createKeyring(keys: readonly KeyInput[], options: KeyringOptions = {}): Keyring {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new SigningError("ERR_SIGNING_INVALID_KEYRING", "a keyring needs at least one key");
  }
  if (keys.length > MAX_VERIFY_KEYS + 1) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_KEYRING",
      `a keyring holds one primary and at most ${MAX_VERIFY_KEYS} verification keys; got ${keys.length} keys`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `options must be an object, got ${describe(options)}`,
    );
  }
  const warnings: string[] = [];
  const entries = new Map<string, Entry>();
  const primary: KeyringState["primary"] = {
    secret: undefined,
    EdDSA: undefined,
    ES256: undefined,
  };
  for (const input of keys) {
    const id = (input as { id?: unknown } | null)?.id;
    if (typeof id !== "string" || !KID.test(id)) {
      throw new SigningError(
        "ERR_SIGNING_INVALID_KEY_ID",
        `key id must match [A-Za-z0-9_-]{1,64}, got ${describe(id)}`,
      );
    }
    if (entries.has(id)) {
      throw new SigningError("ERR_SIGNING_INVALID_KEY_ID", `key id ${id} appears twice`);
    }
    let entry: Entry;
    if ("secret" in input) {
      const secret = secretBytes(input, options, warnings);
      for (const other of entries.values()) {
        if (other.kind === "secret" && sameBytes(other.secret, secret)) {
          throw new SigningError(
            "ERR_SIGNING_DUPLICATE_KEY",
            `keys ${other.id} and ${id} hold the same secret`,
          );
        }
      }
      entry = { kind: "secret", id, secret, derived: new Map() };
      primary.secret ??= entry;
    } else {
      entry = checkPair(input);
      for (const other of entries.values()) {
        if (other.kind !== "secret" && other.publicKey === entry.publicKey) {
          throw new SigningError(
            "ERR_SIGNING_DUPLICATE_KEY",
            `keys ${other.id} and ${id} hold the same key`,
          );
        }
      }
      primary[entry.kind] ??= entry;
    }
    entries.set(id, entry);
  }
  const state: KeyringState = { entries, primary, jwks: undefined };
  const ids = Object.freeze([...entries.keys()]);
  const keyring = {
    ids,
    primaryId: primary.secret?.id,
    warnings: Object.freeze(warnings),
    has: (id: string) => entries.has(id),
  };
  Object.defineProperty(keyring, STATE, { value: state, enumerable: false });
  return Object.freeze(keyring);
}
