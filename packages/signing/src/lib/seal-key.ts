import { derivedKey } from "../derive-key.js";
import type { SecretEntry } from "../keyring.js";
import { webCrypto } from "./runtime.js";

/**
 * The AES-256-GCM CryptoKey of a secret for sealing under `context`,
 * imported once (non-extractable) and cached beside the derived bytes.
 */
export function sealKey(
  entry: SecretEntry,
  context: string | undefined,
): CryptoKey | Promise<CryptoKey> {
  const derived = derivedKey(entry, "seal", context);
  let key = derived.cryptoKey;
  if (key === undefined) {
    const pending = webCrypto()
      .subtle.importKey(
        "raw",
        derived.bytes as Uint8Array<ArrayBuffer>,
        { name: "AES-GCM" },
        false,
        ["encrypt", "decrypt"],
      )
      .then((imported) => {
        derived.cryptoKey = imported;
        return imported;
      });
    derived.cryptoKey = pending;
    key = pending;
  }
  return key;
}

/** Default `typ` of sealed tokens (RFC 7515 §4.1.9 explicit typing, RFC 8725 §3.11). */
export const SEAL_TYP = "tessera-seal+jwt";
