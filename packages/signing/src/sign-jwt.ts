import { SignJWT } from "jose";
import { badOption, describe, SigningError } from "./errors.js";
import { type Keyring, stateOf } from "./keyring.js";
import { hmacJwtKey, type JwtAlgorithm } from "./lib/jwt-keys.js";
import { typ as checkTyp, nowSeconds, seconds } from "./lib/options.js";

export type { JwtAlgorithm } from "./lib/jwt-keys.js";

/** Options for {@link signJwt}. */
export interface SignJwtOptions {
  /** `"HS256"`/`"HS512"` (the primary secret's derived key) or `"EdDSA"`/`"ES256"` (the first pair of that kind). */
  alg: JwtAlgorithm;
  /** Lifetime in seconds; sets `exp` (RFC 7519 §4.1.4). Required. */
  expiresIn: number;
  /**
   * The `typ` header (explicit typing, RFC 8725 §3.11); give each token kind its own.
   * @default "JWT"
   */
  typ?: string;
  /** Sets `iss` (RFC 7519 §4.1.1). */
  issuer?: string;
  /** Sets `aud` (RFC 7519 §4.1.3). */
  audience?: string | string[];
  /** Sets `sub` (RFC 7519 §4.1.2). */
  subject?: string;
  /** Sets `jti` (RFC 7519 §4.1.7). */
  jwtId?: string;
  /** Seconds from now before which the token is not valid; sets `nbf`. */
  notBefore?: number;
  /** HMAC only: derive the key for this context (e.g. a token kind). @default none */
  context?: string;
  /** Current time in epoch milliseconds, for tests. @default Date.now() */
  now?: number;
}

/**
 * Signs a JWT (RFC 7519) with the keyring through jose, with `kid`, `typ`,
 * `iat` and `exp` always set. HS256/HS512 use a subkey derived from the
 * primary secret (`deriveKey(keys, "jwt-hs256")` exports it for another
 * verifier); EdDSA/ES256 use the first key pair of that kind.
 *
 * @example
 * ```ts
 * const token = await signJwt({ sub: "u1", scope: "read" }, keys, {
 *   alg: "HS256", expiresIn: 600, typ: "access+jwt", issuer: "https://auth.example", audience: "api",
 * });
 * ```
 */
export async function signJwt(
  claims: Record<string, unknown>,
  keys: Keyring,
  options: SignJwtOptions,
): Promise<string> {
  const state = stateOf(keys);
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_INPUT",
      `claims must be a plain object, got ${describe(claims)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new SigningError(
      "ERR_SIGNING_INVALID_OPTION",
      `signJwt needs options with alg and expiresIn, got ${describe(options)}`,
    );
  }
  const { alg } = options;
  const ttl = seconds("expiresIn", options.expiresIn);
  const type = checkTyp(options.typ, "JWT");
  const iat = nowSeconds(options.now);
  let key: CryptoKey;
  let kid: string;
  if (alg === "HS256" || alg === "HS512") {
    const entry = state.primary.secret;
    if (entry === undefined)
      throw new SigningError("ERR_SIGNING_NO_KEY", `no secret to sign ${alg} with`);
    key = await hmacJwtKey(entry, alg, options.context);
    kid = entry.id;
  } else if (alg === "EdDSA" || alg === "ES256") {
    const entry = state.primary[alg];
    if (entry?.privateKey === undefined) {
      throw new SigningError(
        "ERR_SIGNING_NO_KEY",
        `the first ${alg} key of the keyring has no private key`,
      );
    }
    if (options.context !== undefined)
      badOption("context", options.context, `undefined for ${alg}`);
    key = entry.privateKey;
    kid = entry.id;
  } else {
    badOption("alg", alg, '"HS256", "HS512", "EdDSA" or "ES256"');
  }
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg, kid, typ: type })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  if (options.jwtId !== undefined) jwt.setJti(options.jwtId);
  if (options.notBefore !== undefined)
    jwt.setNotBefore(iat + seconds("notBefore", options.notBefore));
  return jwt.sign(key);
}
