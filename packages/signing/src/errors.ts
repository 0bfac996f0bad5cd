import { invalidMessage, TesseraError } from "@tessera/error-kit";

export { describe } from "@tessera/error-kit";

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

/**
 * The one error this package throws, always for programmer misuse (a short
 * secret, a bad option). Verifiers (`unsign`, `unseal`, `verifyJwt`, ...)
 * never throw on input: they return `null` or `{ ok: false, reason }`.
 * `SigningError.isInstance` also recognises an error thrown by another copy
 * of this package, where `instanceof` fails, and `TesseraError.isInstance`
 * from `@tessera/store` recognises it as a Tessera error.
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
export class SigningError extends TesseraError<SigningErrorCode> {
  /** What `isInstance` requires a code to start with, as on every Tessera error class. */
  static override readonly codePrefix: string = "ERR_SIGNING_";

  constructor(code: SigningErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "SigningError";
  }
}

/** Throws ERR_SIGNING_INVALID_OPTION naming the option and its bad value. */
export function badOption(name: string, value: unknown, expected: string): never {
  throw new SigningError(
    "ERR_SIGNING_INVALID_OPTION",
    invalidMessage(`option ${name}`, value, expected),
  );
}
