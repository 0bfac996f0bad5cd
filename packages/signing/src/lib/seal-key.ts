import { derivedKey, importedKey } from "../derive-key.js";
import type { SecretEntry } from "../keyring.js";

/**
 * The AES-256-GCM CryptoKey of a secret for sealing under `context`,
 * imported once (non-extractable) and cached beside the derived bytes.
 */
export function sealKey(
  entry: SecretEntry,
  context: string | undefined,
): CryptoKey | Promise<CryptoKey> {
  return importedKey(derivedKey(entry, "seal", context), { name: "AES-GCM" }, [
    "encrypt",
    "decrypt",
  ]);
}

/** Default `typ` of sealed tokens (RFC 7515 §4.1.9 explicit typing, RFC 8725 §3.11). */
export const SEAL_TYP = "tessera-seal+jwt";
