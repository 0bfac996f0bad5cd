/**
 * Every reason {@link SigningError} can carry. The strings are stable: match on
 * them, not on messages.
 */
export type SigningErrorCode =
  /** A secret is empty or decodes to fewer than 32 bytes (RFC 7518 §3.2: key ≥ hash output size). */
  | "ERR_SIGNING_SECRET_TOO_SHORT"
  /** A secret looks like a password or a copied example (RFC 8725 §3.5). */
  | "ERR_SIGNING_WEAK_SECRET"
  /** A secret is neither a Uint8Array nor valid hex, base64 or base64url text (the message says what is wrong). */
  | "ERR_SIGNING_INVALID_SECRET"
  /** A key id is missing, not `[A-Za-z0-9_-]{1,64}`, or used twice. */
  | "ERR_SIGNING_INVALID_KEY_ID"
  /** Two entries hold the same key bytes. */
  | "ERR_SIGNING_DUPLICATE_KEY"
  /** The keyring is empty or holds more than one primary plus 10 verification keys. */
  | "ERR_SIGNING_INVALID_KEYRING"
  /** An asymmetric key has the wrong type, algorithm or curve, or cannot be imported/exported. */
  | "ERR_SIGNING_INVALID_KEY"
  /** No key of the kind the operation needs (e.g. an ES256 private key for `signJwt`). */
  | "ERR_SIGNING_NO_KEY"
  /** An option has the wrong type or value; the message names the option. */
  | "ERR_SIGNING_INVALID_OPTION"
  /** A value to sign or seal cannot be represented (lone surrogate, not JSON, too large). */
  | "ERR_SIGNING_INVALID_INPUT"
  /** `globalThis.crypto` (Web Crypto) is not available in this runtime. */
  | "ERR_SIGNING_NO_WEB_CRYPTO";

// The mark every Tessera error carries (the one `TesseraError` in
// @tessera/store sets; this package sits below the store, so it sets the mark
// itself). Symbol.for, not Symbol(): two copies of the package (ESM and CJS
// builds loaded side by side) must still recognise each other's errors, so an
// error is known by this mark and its code prefix, never by `instanceof`.
const MARK = Symbol.for("@tessera/error");

/**
 * The one error this package throws, always for programmer misuse (a short
 * secret, a bad option). Verifiers (`unsign`, `unseal`, `verifyJwt`, ...)
 * never throw on input: they return `null` or `{ ok: false, reason }`.
 *
 * @example
 * ```ts
 * try {
 *   createKeyring([{ id: "k1", secret: new Uint8Array(8) }]);
 * } catch (error) {
 *   if (SigningError.isInstance(error)) console.log(error.code); // "ERR_SIGNING_SECRET_TOO_SHORT"
 * }
 * ```
 */
export class SigningError extends Error {
  /** What `isInstance` requires a code to start with, as on every Tessera error class. */
  static readonly codePrefix: string = "ERR_SIGNING_";
  /** Stable machine-readable reason. */
  readonly code: SigningErrorCode;

  constructor(code: SigningErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "SigningError";
    this.code = code;
    Object.defineProperty(this, MARK, { value: true });
  }

  /**
   * True for any `SigningError`, even one thrown by another copy of this
   * package, where `instanceof` fails: a Tessera error whose code starts
   * with `ERR_SIGNING_`.
   *
   * @example
   * ```ts
   * SigningError.isInstance(new SigningError("ERR_SIGNING_NO_KEY", "x")); // true
   * ```
   */
  static isInstance(value: unknown): value is SigningError {
    if (typeof value !== "object" || value === null) return false;
    const code = (value as { code?: unknown }).code;
    return (
      (value as { [MARK]?: unknown })[MARK] === true &&
      typeof code === "string" &&
      code.startsWith(SigningError.codePrefix)
    );
  }
}

/** Shortens a bad value for an error message so a huge input cannot flood logs. */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value instanceof Uint8Array) text = `Uint8Array(${value.length})`;
  else if (typeof value === "bigint" || typeof value === "symbol") text = String(value);
  else if (typeof value === "function") text = "function";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws ERR_SIGNING_INVALID_OPTION naming the option and its bad value. */
export function badOption(name: string, value: unknown, expected: string): never {
  throw new SigningError(
    "ERR_SIGNING_INVALID_OPTION",
    `option ${name} is invalid: ${describe(value)} (expected ${expected})`,
  );
}
