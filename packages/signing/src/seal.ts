import { CompactEncrypt } from "jose";
import { describe, SigningError } from "./errors.js";
import { type Keyring, stateOf } from "./keyring.js";
import { typ as checkTyp, nowSeconds, seconds } from "./lib/options.js";
import { utf8 } from "./lib/runtime.js";
import { SEAL_TYP, sealKey } from "./lib/seal-key.js";

/** Options for {@link seal}. */
export interface SealOptions {
  /**
   * Lifetime in seconds; becomes the absolute `exp` claim, enforced on every
   * unseal whatever the cookie's own expiry. Required.
   */
  expiresIn: number;
  /**
   * Binds the token to a context such as the cookie name: it becomes the HKDF
   * salt of the encryption key, so the token opens under no
   * other context.
   * @default none
   */
  context?: string;
  /**
   * The protected `typ` header (explicit typing, RFC 8725 §3.11).
   * @default "tessera-seal+jwt"
   */
  typ?: string;
  /**
   * Current time in epoch milliseconds, for tests.
   * @default Date.now()
   */
  now?: number;
}

/**
 * Encrypts and authenticates a JSON value into a compact JWE (RFC 7516):
 * `alg: "dir"`, `enc: "A256GCM"`, with `kid` and `typ` in the protected
 * header and `{ iat, exp, dat: payload }` as the encrypted JWT claims set.
 * The key is the primary secret's `"seal"` subkey for `context`, imported
 * once, and a fresh random 96-bit IV per token; jose's `CompactEncrypt` on
 * Web Crypto does the encryption. Never compressed (no `zip`).
 * Any JOSE library opens it (e.g. jose's `compactDecrypt` with the key from
 * `deriveKey(keys, "seal", { context })`). Throws if the payload is not JSON.
 *
 * @example
 * ```ts
 * const token = await seal({ userId: "u1", cart: [] }, keys, { expiresIn: 3600, context: "__Host-sess" });
 * ```
 */
export async function seal(payload: unknown, keys: Keyring, options: SealOptions): Promise<string> {
  const entry = stateOf(keys).primary.secret;
  if (entry === undefined)
    throw new SigningError("ERR_SIGNING_NO_KEY", "the keyring holds no secret to seal with");
  if (typeof options !== "object" || options === null) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `seal needs options with expiresIn, got ${describe(options)}`,
    );
  }
  const ttl = seconds("expiresIn", options.expiresIn);
  const type = checkTyp(options.typ, SEAL_TYP);
  const iat = nowSeconds(options.now);
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (cause) {
    throw new SigningError("ERR_SIGNING_INVALID_INPUT", "payload is not JSON-serializable", {
      cause,
    });
  }
  if (json === undefined) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_INPUT",
      `payload is not JSON-serializable: ${describe(payload)}`,
    );
  }
  const pending = sealKey(entry, options.context);
  const key = pending instanceof Promise ? await pending : pending;
  const claims = `{"iat":${iat},"exp":${iat + ttl},"dat":${json}}`;
  // jose writes the compact JWE; a fresh random 96-bit IV per token is its own (RFC 7518 §5.3).
  return new CompactEncrypt(utf8(claims))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: entry.id, typ: type })
    .encrypt(key);
}
