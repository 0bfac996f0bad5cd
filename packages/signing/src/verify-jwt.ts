import {
  createRemoteJWKSet,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from "jose";
import { badOption, SigningError } from "./errors.js";
import { type Keyring, type KeyringState, stateOf } from "./keyring.js";
import { decodeRange, isCanonical } from "./lib/b64.js";
import { ASYMMETRIC, hmacJwtKey, type JwtAlgorithm, SYMMETRIC } from "./lib/jwt-keys.js";
import { typ as checkTyp, clockTolerance, maxLength, nowSeconds, seconds } from "./lib/options.js";

/** Why a JWT was refused. */
export type VerifyJwtFailure =
  /** Not 3 non-empty canonical base64url segments, or a header/claims set that is not a JSON object. */
  | "malformed"
  /** Longer than `maxLength`; refused before decoding, so a huge token costs no work. */
  | "too_large"
  /** `alg` is not in `algorithms` (this covers `none` in every spelling). */
  | "algorithm_not_allowed"
  /** A `jwk`, `jku`, `x5u`, `x5c` or `x5t` header: keys never come from the token (RFC 8725 §3.10). */
  | "forbidden_header"
  /** No `kid` header. */
  | "missing_kid"
  /** The `kid` is not in the keyring (or the remote JWKS). */
  | "unknown_key"
  /** The `kid` names a key of another kind than `alg` (e.g. a secret for an ES256 token). */
  | "key_mismatch"
  /** The signature does not verify. */
  | "bad_signature"
  /**
   * An unknown `crit` parameter (RFC 7515 §4.1.11), `b64` (RFC 7797) or a
   * `zip` header (JWE only, RFC 7516 §4.1.3; compressed JWTs are refused).
   */
  | "unsupported"
  /** `exp` has passed. */
  | "expired"
  /** `iat` is older than `maxTokenAge`. */
  | "too_old"
  /** `iat` lies in the future. */
  | "issued_in_future"
  /** `nbf` lies in the future. */
  | "not_yet_valid"
  /** A required claim (`exp`, `iat`, `aud`, `iss`, ...) is missing. */
  | "missing_claim"
  /** A claim has the wrong type (e.g. a string `exp`). */
  | "invalid_claim"
  /** `aud` does not match. */
  | "audience"
  /** `iss` does not match. */
  | "issuer"
  /** `sub` does not match. */
  | "subject"
  /** `typ` is missing or not the expected one. */
  | "type"
  /** The remote JWKS could not be fetched. */
  | "jwks_unavailable";

/** Result of {@link verifyJwt}. */
export type VerifyJwtResult =
  | {
      ok: true;
      payload: JWTPayload;
      header: JWTHeaderParameters;
      /** True when a key other than the primary of its kind verified it: re-issue, so rotation completes. */
      needsReissue: boolean;
    }
  | { ok: false; reason: VerifyJwtFailure };

/** Options for {@link verifyJwt}. */
export interface VerifyJwtOptions {
  /**
   * The accepted algorithms, all symmetric (`HS256`, `HS512`) or all
   * asymmetric (`EdDSA`, `ES256`); required (RFC 8725 §3.1: never the token's own `alg` choice).
   */
  algorithms: readonly JwtAlgorithm[];
  /** Expected `typ` header; a missing `typ` fails (RFC 8725 §3.11). @default "JWT" */
  typ?: string;
  /** Accepted `iss` value(s); `iss` becomes required. */
  issuer?: string | readonly string[];
  /** Accepted `aud` value(s); `aud` becomes required. */
  audience?: string | readonly string[];
  /** Expected `sub`. */
  subject?: string;
  /** Leeway in seconds for `exp`, `nbf` and `iat`, 0..300 (RFC 7519 §4.1.4). @default 30 */
  clockTolerance?: number;
  /** Maximum age in seconds since `iat`. A future `iat` is always refused. @default no limit */
  maxTokenAge?: number;
  /** Require `exp` (RFC 8725 §3.10 for short-lived tokens). @default true */
  requireExp?: boolean;
  /** Further claims that must be present. */
  requiredClaims?: readonly string[];
  /** HMAC only: the context the key was derived for (as in {@link signJwt}). @default none */
  context?: string;
  /** Tokens longer than this many characters are refused before decoding. @default 8192 */
  maxLength?: number;
  /** Current time in epoch milliseconds, for tests. @default Date.now() */
  now?: number;
  /**
   * Verify against a remote JWKS instead of the keyring: a URL (fetched
   * through jose's `createRemoteJWKSet`, cached per URL) or a jose key
   * resolver. Asymmetric algorithms only. The token's own `jku`/`x5u` are
   * still refused: the URL comes only from this option.
   */
  jwks?: URL | JWTVerifyGetKey;
}

// Key material or key locations carried in the token: keys come only from the
// local keyring (RFC 8725 §3.10).
const FORBIDDEN = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"];

// ~10 years: makes jose require `iat` and refuse a future `iat` when the
// caller sets no maximum age (jose alone accepts a future `iat`).
const NO_AGE_LIMIT = 315_360_000;

const remoteSets = new Map<string, JWTVerifyGetKey>();

function remote(jwks: URL | JWTVerifyGetKey): JWTVerifyGetKey {
  if (typeof jwks === "function") return jwks;
  if (!(jwks instanceof URL)) badOption("jwks", jwks, "a URL or a jose JWKS function");
  let set = remoteSets.get(jwks.href);
  if (set === undefined) {
    set = createRemoteJWKSet(jwks);
    if (remoteSets.size >= 32) remoteSets.clear();
    remoteSets.set(jwks.href, set);
  }
  return set;
}

/** RFC 7515 §7.1 compact form: three non-empty canonical base64url segments. */
function wellFormed(token: string): boolean {
  const a = token.indexOf(".");
  const b = token.indexOf(".", a + 1);
  if (a < 1 || b < a + 2 || b === token.length - 1 || token.indexOf(".", b + 1) !== -1)
    return false;
  return isCanonical(token, 0, a) && isCanonical(token, a + 1, b) && isCanonical(token, b + 1);
}

const utf8Fatal = new TextDecoder("utf-8", { fatal: true });

/** True when a `crit` header value lists `b64`. */
function listsB64(crit: unknown): boolean {
  return Array.isArray(crit) && crit.includes("b64");
}

/**
 * True when the claims segment `token[start, end)` (already found canonical
 * by the format check) is valid UTF-8: jose decodes claims leniently
 * (invalid UTF-8 becomes U+FFFD), so such tokens are refused before it runs.
 */
function utf8Claims(token: string, start: number, end: number): boolean {
  try {
    utf8Fatal.decode(decodeRange(token, start, end));
    return true;
  } catch {
    return false;
  }
}

// RFC 7519 §2 NumericDate; JSON.parse turns 1e309 into Infinity and allows
// absurd values, so bound them to 9999-12-31 on top of jose's checks.
const MAX_NUMERIC_DATE = 253_402_300_799;

/** True when every present `exp`, `iat`, `nbf` is a finite NumericDate in 0..9999-12-31. */
function numericDates(payload: Record<string, unknown>): boolean {
  for (const claim of ["exp", "iat", "nbf"]) {
    const value = payload[claim];
    if (
      value !== undefined &&
      !(
        typeof value === "number" &&
        Number.isFinite(value) &&
        value >= 0 &&
        value <= MAX_NUMERIC_DATE
      )
    ) {
      return false;
    }
  }
  return true;
}

function reasonOf(error: unknown): VerifyJwtFailure {
  const { code, claim, reason } = (error ?? {}) as {
    code?: string;
    claim?: string;
    reason?: string;
  };
  switch (code) {
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "algorithm_not_allowed";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "bad_signature";
    case "ERR_JOSE_NOT_SUPPORTED":
      return "unsupported";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return "unknown_key";
    case "ERR_JWKS_TIMEOUT":
    case "ERR_JWKS_INVALID":
      return "jwks_unavailable";
    case "ERR_JWT_EXPIRED":
      return claim === "iat" ? "too_old" : "expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (reason === "missing") return "missing_claim";
      if (reason === "invalid") return "invalid_claim";
      switch (claim) {
        case "nbf":
          return "not_yet_valid";
        case "iat":
          return "issued_in_future";
        case "aud":
          return "audience";
        case "iss":
          return "issuer";
        case "sub":
          return "subject";
        case "typ":
          return "type";
        default:
          return "invalid_claim";
      }
    default:
      // Fetch failures of a remote JWKS surface as plain errors.
      return code === undefined && error instanceof TypeError ? "jwks_unavailable" : "malformed";
  }
}

interface Prepared {
  readonly algorithms: readonly JwtAlgorithm[];
  readonly limit: number;
  readonly resolver: JWTVerifyGetKey | undefined;
  readonly context: string | undefined;
  readonly joseOptions: JWTVerifyOptions;
}

// Options are read and checked on every call: a cache per options object
// would miss a caller changing `audience` or `issuer` on the same object.
function prepare(options: VerifyJwtOptions, keyring: KeyringState | undefined): Prepared {
  const hasKeyring = keyring !== undefined;
  const algorithms = options?.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    badOption("algorithms", algorithms, "a non-empty list of HS256, HS512 or of EdDSA, ES256");
  }
  const family = SYMMETRIC.has(algorithms[0]!) ? SYMMETRIC : ASYMMETRIC;
  for (const alg of algorithms) {
    if (!family.has(alg)) {
      badOption(
        "algorithms",
        algorithms,
        "algorithms of one family: HS256/HS512 or EdDSA/ES256, never none",
      );
    }
  }
  const tolerance = clockTolerance(options.clockTolerance);
  const limit = maxLength(options.maxLength, 8192);
  const resolver = options.jwks === undefined ? undefined : remote(options.jwks);
  if (resolver !== undefined && family === SYMMETRIC) {
    badOption("algorithms", algorithms, "asymmetric algorithms with a remote JWKS");
  }
  if (!hasKeyring && resolver === undefined)
    badOption("jwks", options.jwks, "a URL or function when keys is null");
  const context = options.context;
  const required = options.requireExp === false ? ["iat"] : ["exp", "iat"];
  if (options.requiredClaims !== undefined) {
    if (!Array.isArray(options.requiredClaims))
      badOption("requiredClaims", options.requiredClaims, "a list of claim names");
    required.push(...options.requiredClaims);
  }
  const typ = checkTyp(options.typ, "JWT");
  const maxTokenAge =
    options.maxTokenAge === undefined
      ? NO_AGE_LIMIT
      : seconds("maxTokenAge", options.maxTokenAge, NO_AGE_LIMIT);
  const joseOptions: JWTVerifyOptions = {
    algorithms: algorithms as string[],
    typ,
    clockTolerance: tolerance,
    maxTokenAge,
    requiredClaims: required,
  };
  if (options.issuer !== undefined) joseOptions.issuer = options.issuer as string | string[];
  if (options.audience !== undefined) joseOptions.audience = options.audience as string | string[];
  if (options.subject !== undefined) joseOptions.subject = options.subject;
  return { algorithms, limit, resolver, context, joseOptions };
}

/**
 * Verifies a compact JWS JWT: jose's `jwtVerify` checks the signature and
 * the claims, under this package's pinned rules on top: a size cap and a
 * strict 3-segment format check before any decoding, an explicit algorithm
 * allow-list of one family, keys chosen only by `kid` (a Map lookup) and
 * bound to their algorithm, `jwk`/`jku`/`x5u`/`x5c` refused, unknown `crit`
 * refused, `typ` checked, `exp` and `iat` required, future `iat` refused,
 * `nbf`, `aud`, `iss` checked, clock tolerance 30 s (≤ 300 s). Never throws
 * on a bad token; throws `SigningError` for bad options.
 *
 * @example
 * ```ts
 * const result = await verifyJwt(token, keys, { algorithms: ["HS256"], typ: "access+jwt", audience: "api" });
 * if (result.ok) console.log(result.payload.sub);
 * else console.log(result.reason); // e.g. "expired"
 * ```
 */
export async function verifyJwt(
  token: string,
  keys: Keyring | null,
  options: VerifyJwtOptions,
): Promise<VerifyJwtResult> {
  const state = keys === null ? undefined : stateOf(keys);
  const prepared = prepare(options, state);
  const { algorithms, limit, resolver, context } = prepared;
  const now = options.now === undefined ? undefined : nowSeconds(options.now);
  if (typeof token !== "string") return { ok: false, reason: "malformed" };
  if (token.length > limit) return { ok: false, reason: "too_large" };
  if (!wellFormed(token)) return { ok: false, reason: "malformed" };

  // Select the key from the header ourselves, so jose verifies against a
  // CryptoKey (its fastest path) instead of calling back into a resolver.
  let key: CryptoKey | Uint8Array | JWTVerifyGetKey;
  let reissue = false;
  try {
    // The format check made both segments canonical: decode without checking again.
    const first = token.indexOf(".");
    const last = token.lastIndexOf(".");
    const header = JSON.parse(utf8Fatal.decode(decodeRange(token, 0, first)));
    if (typeof header !== "object" || header === null || Array.isArray(header))
      return { ok: false, reason: "malformed" };
    for (const name of FORBIDDEN)
      if (name in header) return { ok: false, reason: "forbidden_header" };
    // `zip` exists for JWE only (RFC 7516 §4.1.3); a JWS using `b64` must
    // list it in `crit` (RFC 7797 §6), else verifiers would disagree on the payload.
    if ("zip" in header || ("b64" in header && !listsB64(header.crit)))
      return { ok: false, reason: "unsupported" };
    if (!utf8Claims(token, first + 1, last)) return { ok: false, reason: "malformed" };
    if (resolver !== undefined) {
      key = resolver;
    } else {
      const alg = header.alg;
      if (typeof alg !== "string" || !algorithms.includes(alg as JwtAlgorithm)) {
        return { ok: false, reason: "algorithm_not_allowed" };
      }
      const kid = header.kid;
      if (typeof kid !== "string") return { ok: false, reason: "missing_kid" };
      const entry = state!.entries.get(kid);
      if (entry === undefined) return { ok: false, reason: "unknown_key" };
      if (entry.kind === "secret") {
        if (alg !== "HS256" && alg !== "HS512") return { ok: false, reason: "key_mismatch" };
        reissue = state!.primary.secret !== entry;
        const k = hmacJwtKey(entry, alg, context);
        key = k instanceof Promise ? await k : k;
      } else {
        if (alg !== entry.kind) return { ok: false, reason: "key_mismatch" };
        reissue = state!.primary[entry.kind] !== entry;
        key = entry.publicKey;
      }
    }
  } catch (error) {
    if (SigningError.isInstance(error)) throw error;
    return { ok: false, reason: "malformed" };
  }
  const joseOptions =
    now === undefined
      ? prepared.joseOptions
      : { ...prepared.joseOptions, currentDate: new Date(now * 1000) };
  try {
    const { payload, protectedHeader } = await jwtVerify(token, key as CryptoKey, joseOptions);
    if (!numericDates(payload)) return { ok: false, reason: "invalid_claim" };
    return { ok: true, payload, header: protectedHeader, needsReissue: reissue };
  } catch (error) {
    // Misconfiguration (e.g. a bad context) is the programmer's, not the token's.
    if (SigningError.isInstance(error)) throw error;
    return { ok: false, reason: reasonOf(error) };
  }
}
