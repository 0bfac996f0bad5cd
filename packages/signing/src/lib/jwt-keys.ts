import { derivedKey, importedKey } from "../derive-key.js";
import type { SecretEntry } from "../keyring.js";

/** JWS algorithms this package signs and verifies (RFC 7518 §3.1, RFC 8037 §3.1). */
export type JwtAlgorithm = "HS256" | "HS512" | "EdDSA" | "ES256";

export const SYMMETRIC = new Set<string>(["HS256", "HS512"]);
export const ASYMMETRIC = new Set<string>(["EdDSA", "ES256"]);

/**
 * The HMAC CryptoKey for HS256/HS512 under a secret and context: the
 * `jwt-hs256`/`jwt-hs512` subkey (64 bytes for HS512, RFC 7518 §3.2),
 * imported once, non-extractable, bound to its hash so it can serve no other
 * algorithm (RFC 8725 §3.1: a key is bound to one algorithm).
 */
export function hmacJwtKey(
  entry: SecretEntry,
  alg: "HS256" | "HS512",
  context: string | undefined,
): CryptoKey | Promise<CryptoKey> {
  const derived = derivedKey(entry, alg === "HS256" ? "jwt-hs256" : "jwt-hs512", context);
  const hash = alg === "HS256" ? "SHA-256" : "SHA-512";
  return importedKey(derived, { name: "HMAC", hash }, ["sign", "verify"]);
}
