import { exportJwks, type Keyring } from "@tessera/signing";
import { badOption } from "./errors.js";

/**
 * Options of {@link createJwksHandler}.
 *
 * @example
 * ```ts
 * const options: JwksHandlerOptions = { maxAge: 300 };
 * ```
 */
export interface JwksHandlerOptions {
  /**
   * `Cache-Control: public, max-age=<maxAge>` in seconds. Keep it well under
   * the time between publishing a new key and signing with it, so verifiers
   * see a new key before tokens carry it.
   * @default 600
   */
  maxAge?: number;
}

/**
 * A fetch-style handler: `(request) => Response`.
 *
 * @example
 * ```ts
 * const handler: FetchHandler = tokens.jwksHandler();
 * const response = await handler(new Request("https://auth.example/.well-known/jwks.json"));
 * ```
 */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * A handler serving the keyring's public keys as a JWKS document (RFC 7517
 * §5) with `content-type: application/jwk-set+json` (RFC 7517 §8.5.1) and
 * cache headers, for `/.well-known/jwks.json`. Only public halves of Ed25519
 * and P-256 keys are published (`exportJwks`); secrets never are. `GET` and
 * `HEAD` only (405 otherwise).
 *
 * @example
 * ```ts
 * const jwks = createJwksHandler(keys);
 * // In any fetch-style server:
 * if (new URL(request.url).pathname === "/.well-known/jwks.json") return jwks(request);
 * ```
 */
export function createJwksHandler(keys: Keyring, options: JwksHandlerOptions = {}): FetchHandler {
  const maxAge = options.maxAge ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86_400) {
    badOption("maxAge", maxAge, "an integer number of seconds in 0..86400");
  }
  if (typeof keys !== "object" || keys === null || typeof keys.has !== "function") {
    badOption("keys", keys, "a keyring from createKeyring()");
  }
  let body: Promise<string> | undefined;
  return async (request) => {
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") {
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    }
    body ??= exportJwks(keys).then(
      (set) => JSON.stringify(set),
      (error: unknown) => {
        body = undefined;
        throw error;
      },
    );
    const text = await body;
    return new Response(method === "HEAD" ? null : text, {
      status: 200,
      headers: {
        "content-type": "application/jwk-set+json",
        "cache-control": `public, max-age=${maxAge}`,
        "access-control-allow-origin": "*",
      },
    });
  };
}
