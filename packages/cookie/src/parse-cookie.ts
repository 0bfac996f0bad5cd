import {
  type CookieHeader,
  DEFAULT_LIMITS,
  type ParseCookieOptions,
  resolveLimits,
} from "./lib/header.js";
import { readPairs } from "./lib/pairs.js";

/**
 * Parses a request's `Cookie` header (RFC 6265bis §4.2, §5.7) into a
 * null-prototype object, so names such as `__proto__` or `constructor` are
 * plain own keys and pollute nothing.
 *
 * - Pairs split on ";", name and value trimmed of spaces and tabs.
 * - The first occurrence of a duplicated name wins (use {@link parseCookieAll}
 *   to see every value, e.g. for the session cookie).
 * - Pairs without "=" or with an empty name are skipped.
 * - Values are percent-decoded when they contain "%" unless `decode: false`;
 *   malformed escapes are kept as received.
 * - Reading stops after `maxBytes` (8 KiB) or `maxPairs` (200) named pairs.
 * - An array of fields (HTTP/2) is joined with "; " first (RFC 6265bis §4.2.1:
 *   servers must accept a Cookie header split into several fields).
 *
 * One pass over the input, no regular expressions: linear time on any string.
 * Never throws on header input (it throws only on invalid options).
 *
 * @example
 * ```ts
 * const cookies = parseCookie("theme=dark; lang=en%2DGB; theme=light");
 * cookies.theme; // "dark"
 * cookies.lang;  // "en-GB"
 * parseCookie(request.headers.get("cookie"), { decode: false }); // raw values
 * ```
 */
export function parseCookie(
  header: CookieHeader,
  options?: ParseCookieOptions,
): Record<string, string> {
  const limits = options === undefined ? DEFAULT_LIMITS : resolveLimits(options);
  return readPairs(header, limits, undefined, "first") as Record<string, string>;
}
