import { TesseraError } from "@tessera/error-kit";

export { describe } from "@tessera/error-kit";

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

/**
 * The one error this package throws, always for programmer misuse (a bad name,
 * value or attribute handed to a serializer). Parsers never throw.
 * `CookieError.isInstance` also recognises an error thrown by another copy of
 * this package, where `instanceof` fails, and `TesseraError.isInstance` from
 * `@tessera/store` recognises it as a Tessera error.
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
export class CookieError extends TesseraError<CookieErrorCode> {
  /** What `isInstance` requires a code to start with, as on every Tessera error class. */
  static override readonly codePrefix: string = "ERR_COOKIE_";

  constructor(code: CookieErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "CookieError";
  }
}
