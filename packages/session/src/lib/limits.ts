/**
 * Default `maxCookieSize`: octets the session's cookies may take in a
 * request's `Cookie` header. nginx (`large_client_header_buffers`) and Apache
 * (`LimitRequestFieldSize`) accept about 8 KiB for a whole header line; 6 KiB
 * holds a stateless session of two full chunks and leaves 2 KiB for the
 * site's other cookies.
 */
export const DEFAULT_MAX_COOKIE_SIZE = 6144;

/** Smallest and largest `maxCookieSize` accepted: one cookie, and 16 cookies of 4 KiB. */
export const MIN_MAX_COOKIE_SIZE = 1024;
export const MAX_MAX_COOKIE_SIZE = 65_536;

/**
 * The longest signed session cookie value: a 43-character token, a key id
 * of at most 64 characters and a 43-character MAC, joined by dots.
 */
export const MAX_SIGNED_LENGTH = 43 + 1 + 64 + 1 + 43;

/**
 * Longest `Cookie` header the session layer searches for its own cookie:
 * the session's budget plus 16 KiB for the site's other cookies, so 22 KiB by
 * default, more than Node's default limit for all request headers together
 * (16 KiB): under default server settings every header that reaches the app
 * is read whole. A longer header is refused as `header_too_large` rather than
 * read in part, since a second copy of the session cookie could hide past the
 * cut.
 */
export function cookieHeaderLimit(maxCookieSize: number): number {
  return maxCookieSize + 16_384;
}
