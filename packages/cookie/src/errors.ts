/**
 * Every reason {@link CookieError} can carry. The strings are stable: match on
 * them, not on messages.
 */
export type CookieErrorCode =
  /** The name is not an RFC 9110 §5.6.2 `token`. */
  | "ERR_COOKIE_INVALID_NAME"
  /** The value has characters outside `cookie-octet` (raw encoding) or cannot be encoded. */
  | "ERR_COOKIE_INVALID_VALUE"
  /** `domain` is not a valid host name. */
  | "ERR_COOKIE_INVALID_DOMAIN"
  /** `path` is not an absolute path made of safe characters. */
  | "ERR_COOKIE_INVALID_PATH"
  /** `maxAge` is not an integer in 0..34,560,000 seconds. */
  | "ERR_COOKIE_INVALID_MAX_AGE"
  /** `expires` is not a valid date, or lies more than 400 days ahead. */
  | "ERR_COOKIE_INVALID_EXPIRES"
  /** `maxAge` and `expires` are both set and disagree. */
  | "ERR_COOKIE_INCONSISTENT_EXPIRY"
  /** `sameSite` is not Strict, Lax or None. */
  | "ERR_COOKIE_INVALID_SAME_SITE"
  /** `priority` is not Low, Medium or High. */
  | "ERR_COOKIE_INVALID_PRIORITY"
  /** `SameSite=None` or `Partitioned` without `Secure`. */
  | "ERR_COOKIE_SECURE_REQUIRED"
  /** A `__Secure-`, `__Host-`, `__Http-` or `__Host-Http-` rule is broken. */
  | "ERR_COOKIE_PREFIX_VIOLATION"
  /** A reserved prefix spelled in another case, e.g. `__HOST-`. */
  | "ERR_COOKIE_PREFIX_CASE"
  /** Name plus encoded value exceed 4096 octets, or a value needs too many chunks. */
  | "ERR_COOKIE_TOO_LARGE"
  /** An attribute value exceeds 1024 octets. */
  | "ERR_COOKIE_ATTRIBUTE_TOO_LONG"
  /** Any other option has the wrong type or value. */
  | "ERR_COOKIE_INVALID_OPTION";

// The mark every Tessera error carries (the one `TesseraError` in
// @tessera/store sets; this package sits below the store, so it sets the mark
// itself). Symbol.for, not Symbol(): two copies of the package (ESM and CJS
// builds loaded side by side) must still recognise each other's errors, so an
// error is known by this mark and its code prefix, never by `instanceof`.
const MARK = Symbol.for("@tessera/error");

/**
 * The one error this package throws, always for programmer misuse (a bad name,
 * value or attribute handed to a serializer). Parsers never throw.
 *
 * @example
 * ```ts
 * try {
 *   serializeSetCookie("a b", "1");
 * } catch (error) {
 *   if (CookieError.isInstance(error)) console.log(error.code); // "ERR_COOKIE_INVALID_NAME"
 * }
 * ```
 */
export class CookieError extends Error {
  /** What `isInstance` requires a code to start with, as on every Tessera error class. */
  static readonly codePrefix: string = "ERR_COOKIE_";
  /** Stable machine-readable reason. */
  readonly code: CookieErrorCode;

  constructor(code: CookieErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "CookieError";
    this.code = code;
    Object.defineProperty(this, MARK, { value: true });
  }

  /**
   * True for any `CookieError`, even one thrown by another copy of this
   * package, where `instanceof` fails: a Tessera error whose code starts
   * with `ERR_COOKIE_`.
   *
   * @example
   * ```ts
   * CookieError.isInstance(new CookieError("ERR_COOKIE_INVALID_NAME", "x")); // true
   * ```
   */
  static isInstance(value: unknown): value is CookieError {
    if (typeof value !== "object" || value === null) return false;
    const code = (value as { code?: unknown }).code;
    return (
      (value as { [MARK]?: unknown })[MARK] === true &&
      typeof code === "string" &&
      code.startsWith(CookieError.codePrefix)
    );
  }
}

/** Shortens a bad value for an error message so a huge input cannot flood logs. */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value instanceof Date) text = `Date(${value.getTime()})`;
  else if (typeof value === "bigint" || typeof value === "symbol") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
