/**
 * RFC 6265bis §5.6 step 5 and §6.1: UAs ignore a cookie whose name plus value
 * exceed 4096 octets; RFC 6265 §6.1 counted the whole line, so chunks keep the
 * entire Set-Cookie line within this too.
 */
export const MAX_NAME_VALUE = 4096;
/** RFC 6265bis §5.6 step 6 / §5.6.x: UAs ignore an attribute value over 1024 octets. */
export const MAX_ATTRIBUTE_VALUE = 1024;
/** RFC 6265bis §5.5 "Cookie Lifetime Limits": 400 days, in seconds. */
export const MAX_AGE_LIMIT = 34_560_000;
/** RFC 6265bis §4.2.1: servers commonly cap a request header near 8 KiB. */
export const DEFAULT_MAX_BYTES = 8192;
/** Pairs read from one Cookie header before the rest is ignored, so a flood of pairs costs bounded work. */
export const DEFAULT_MAX_PAIRS = 200;
/** Slack allowed between `maxAge` and `expires` when both are given (Expires has 1 s resolution). */
export const EXPIRY_TOLERANCE_MS = 2000;
