import { compactDecrypt } from "jose";
import { type Keyring, stateOf } from "./keyring.js";
import { decodeRange, isCanonical } from "./lib/b64.js";
import { typ as checkTyp, clockTolerance, maxLength, nowSeconds } from "./lib/options.js";
import { SEAL_TYP, sealKey } from "./lib/seal-key.js";

/** Why a sealed token was refused. */
export type UnsealFailure =
  /** Not 5 canonical base64url segments with an empty encrypted key, 16-char IV and 22-char tag. */
  | "malformed"
  /** Longer than `maxLength`; refused before any decoding. */
  | "too_large"
  /** The `kid` is not a secret in the keyring. */
  | "unknown_key"
  /**
   * Anything else: a header other than exactly `{alg: "dir", enc: "A256GCM", kid, typ}`
   * (so `zip`, `crit`, other algorithms), or any decryption failure. One
   * reason for all, so failures reveal nothing about the ciphertext.
   */
  | "invalid"
  /** `exp` has passed (beyond the clock tolerance). */
  | "expired"
  /** `iat` lies in the future (beyond the clock tolerance). */
  | "issued_in_future";

/** Result of {@link openSealed}. */
export type OpenSealedResult<T> =
  | {
      ok: true;
      /** The sealed value. */
      payload: T;
      /** Issued at, epoch seconds (RFC 7519 §4.1.6). */
      iat: number;
      /** Expires at, epoch seconds (RFC 7519 §4.1.4). */
      exp: number;
      /** Id of the key that opened it. */
      kid: string;
      /** True when that key is not the primary: re-seal, so rotation completes. */
      needsReissue: boolean;
    }
  | { ok: false; reason: UnsealFailure };

/** Options for {@link unseal} and {@link openSealed}. */
export interface UnsealOptions {
  /** The context the token was sealed under (e.g. the cookie name). @default none */
  context?: string;
  /** Expected `typ` header. @default "tessera-seal+jwt" */
  typ?: string;
  /** Leeway in seconds for `exp` and `iat`, 0..300. @default 30 */
  clockTolerance?: number;
  /** Tokens longer than this many characters are refused before decoding. @default 8192 */
  maxLength?: number;
  /** Current time in epoch milliseconds, for tests. @default Date.now() */
  now?: number;
}

// RFC 7519 §7.2 step 10: the claims set is UTF-8 JSON (strict, no U+FFFD substitution).
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });

const fail = <T>(reason: UnsealFailure): OpenSealedResult<T> => ({ ok: false, reason });

/** Base64url lengths of a 96-bit IV and a 128-bit tag (RFC 7518 §5.3). */
const IV_CHARS = 16;
const TAG_CHARS = 22;

/** The only algorithms a sealed token may name; jose enforces them again. */
const DECRYPT_OPTIONS = {
  keyManagementAlgorithms: ["dir"],
  contentEncryptionAlgorithms: ["A256GCM"],
};

/**
 * The compact JWE shape of a `dir` token, checked before jose sees it:
 * header.(empty).iv(16).ciphertext.tag(22), every segment non-empty (but the
 * key) and canonical base64url (RFC 7516 §7.1), so one token has one accepted text.
 * Returns the end of the header segment, or -1.
 */
function shape(token: string): number {
  const h = token.indexOf(".");
  if (h < 1 || token.charCodeAt(h + 1) !== 46) return -1;
  const ivEnd = h + 2 + IV_CHARS;
  if (token.charCodeAt(ivEnd) !== 46) return -1;
  const tagStart = token.length - TAG_CHARS;
  if (token.charCodeAt(tagStart - 1) !== 46 || tagStart - 1 <= ivEnd + 1) return -1;
  if (token.indexOf(".", ivEnd + 1) !== tagStart - 1) return -1;
  return isCanonical(token, 0, h) &&
    isCanonical(token, h + 2, ivEnd) &&
    isCanonical(token, ivEnd + 1, tagStart - 1) &&
    isCanonical(token, tagStart)
    ? h
    : -1;
}

/**
 * The protected header when it is exactly `{alg: "dir", enc: "A256GCM", kid,
 * typ}` (so no `zip`, `crit` or anything else), else undefined.
 */
function exactHeader(token: string, end: number): { kid: string; typ: unknown } | undefined {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(utf8Fatal.decode(decodeRange(token, 0, end)));
  } catch {
    return undefined;
  }
  if (
    typeof header !== "object" ||
    header === null ||
    Object.keys(header).length !== 4 ||
    header.alg !== "dir" ||
    header.enc !== "A256GCM" ||
    typeof header.kid !== "string" ||
    !("typ" in header)
  ) {
    return undefined;
  }
  return { kid: header.kid, typ: header.typ };
}

/**
 * Opens a token made by {@link seal}, spelling out the outcome. Checks, in
 * order: size, shape, the exact protected header (`alg: "dir"`,
 * `enc: "A256GCM"`, `kid`, `typ`; nothing else, so no `zip`), the key by
 * `kid` (a Map lookup), AES-256-GCM decryption by jose's `compactDecrypt`
 * (`dir` and `A256GCM` only; the AAD is the encoded protected header, RFC
 * 7516 §5.2), then `iat`/`exp` with the clock tolerance. Opens any token of
 * that exact shape, also one made by jose's `CompactEncrypt` with the same
 * key and header.
 * Never throws on input.
 *
 * @example
 * ```ts
 * const opened = await openSealed<{ userId: string }>(token, keys, { context: "__Host-sess" });
 * if (opened.ok && opened.needsReissue) token = await seal(opened.payload, keys, { expiresIn: 3600, context: "__Host-sess" });
 * ```
 */
export async function openSealed<T = unknown>(
  token: string,
  keys: Keyring,
  options?: UnsealOptions,
): Promise<OpenSealedResult<T>> {
  const state = stateOf(keys);
  const tolerance = clockTolerance(options?.clockTolerance);
  const limit = maxLength(options?.maxLength, 8192);
  const expectedTyp = checkTyp(options?.typ, SEAL_TYP);
  const now = nowSeconds(options?.now);
  if (typeof token !== "string") return fail("malformed");
  if (token.length > limit) return fail("too_large");
  const headerEnd = shape(token);
  if (headerEnd < 0) return fail("malformed");
  const header = exactHeader(token, headerEnd);
  if (header === undefined || header.typ !== expectedTyp) return fail("invalid");
  const entry = state.entries.get(header.kid);
  if (entry === undefined || entry.kind !== "secret") return fail("unknown_key");
  let claims: { iat?: unknown; exp?: unknown; dat?: unknown };
  try {
    const pending = sealKey(entry, options?.context);
    const key = pending instanceof Promise ? await pending : pending;
    const { plaintext } = await compactDecrypt(token, key, DECRYPT_OPTIONS);
    claims = JSON.parse(utf8Fatal.decode(plaintext));
  } catch {
    return fail("invalid");
  }
  const { iat, exp } = claims;
  if (
    typeof claims !== "object" ||
    claims === null ||
    !Number.isSafeInteger(iat) ||
    !Number.isSafeInteger(exp) ||
    !("dat" in claims)
  ) {
    return fail("invalid");
  }
  if ((exp as number) + tolerance <= now) return fail("expired");
  if ((iat as number) - tolerance > now) return fail("issued_in_future");
  return {
    ok: true,
    payload: claims.dat as T,
    iat: iat as number,
    exp: exp as number,
    kid: entry.id,
    needsReissue: state.primary.secret !== entry,
  };
}

/**
 * Opens a token made by {@link seal} and returns its payload, or `null` for
 * anything malformed, tampered, expired, sealed under another context or a
 * key no longer in the keyring. Never throws on input; use
 * {@link openSealed} for the reason.
 *
 * @example
 * ```ts
 * const data = await unseal<{ userId: string }>(cookieValue, keys, { context: "__Host-sess" });
 * ```
 */
export async function unseal<T = unknown>(
  token: string,
  keys: Keyring,
  options?: UnsealOptions,
): Promise<T | null> {
  const result = await openSealed<T>(token, keys, options);
  return result.ok ? result.payload : null;
}
