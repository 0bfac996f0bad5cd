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

const BRAND: unique symbol = Symbol.for("@tessera/cookie.CookieError") as never;

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
  /** Stable machine-readable reason. */
  readonly code: CookieErrorCode;
  /** @internal brand read by {@link CookieError.isInstance} */
  readonly [BRAND] = true;

  constructor(code: CookieErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CookieError";
    this.code = code;
  }

  /**
   * True for any `CookieError`, even one thrown by another copy of this
   * package (ESM and CJS builds loaded side by side), where `instanceof` fails.
   *
   * @example
   * ```ts
   * CookieError.isInstance(new CookieError("ERR_COOKIE_INVALID_NAME", "x")); // true
   * ```
   */
  static isInstance(value: unknown): value is CookieError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
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
