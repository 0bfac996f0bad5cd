/**
 * Longest `Cookie` header the session layer searches for its own cookie:
 * more than Node's default limit for all request headers together (16 KiB),
 * so under default server settings every header that reaches the app is read
 * whole. A longer header is refused as `header_too_large` rather than read in
 * part, since a second copy of the session cookie could hide past the cut.
 */
export const COOKIE_HEADER_LIMIT = 22_528;
