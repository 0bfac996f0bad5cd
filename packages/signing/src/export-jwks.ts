import { exportJWK, type JWK } from "jose";
import { SigningError } from "./errors.js";
import { type JsonWebKeySetOut, type Keyring, stateOf } from "./keyring.js";

/**
 * The public halves of the keyring's Ed25519 and P-256 keys as a JWKS
 * document (RFC 7517 §5), each with its `kid`, `alg` and `use: "sig"`, for a
 * `/.well-known/jwks.json` endpoint. Secrets are never included. Computed once
 * per keyring.
 *
 * @example
 * ```ts
 * const body = JSON.stringify(await exportJwks(keys)); // {"keys":[{"kty":"OKP","crv":"Ed25519","x":"...","kid":"ed-1",...}]}
 * ```
 */
export function exportJwks(keys: Keyring): Promise<JsonWebKeySetOut> {
  const state = stateOf(keys);
  state.jwks ??= (async () => {
    const out: JWK[] = [];
    for (const entry of state.entries.values()) {
      if (entry.kind === "secret") continue;
      try {
        const { kty, crv, x, y } = await exportJWK(entry.publicKey);
        const jwk: JWK = { kty, crv, x, kid: entry.id, alg: entry.kind, use: "sig" };
        if (y !== undefined) jwk.y = y;
        out.push(jwk);
      } catch (cause) {
        state.jwks = undefined;
        throw new SigningError(
          "ERR_SIGNING_INVALID_KEY",
          `key ${entry.id}: public key cannot be exported`,
          { cause },
        );
      }
    }
    return { keys: out };
  })();
  return state.jwks;
}
