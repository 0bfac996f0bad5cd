import {
  type CookieHeader,
  CookieRecord,
  DEFAULT_LIMITS,
  headerText,
  lastSlot,
  type ParseCookieOptions,
  resolveLimits,
  sliceName,
  truncate,
  tryDecode,
} from "./lib/header.js";

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
 * - An array of fields (HTTP/2) is joined with "; " first (CK-12).
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
  const out: Record<string, string> = new CookieRecord() as Record<string, string>;
  let str = typeof header === "string" ? header : headerText(header);
  const { decode, unquote, maxBytes, maxPairs } =
    options === undefined ? DEFAULT_LIMITS : resolveLimits(options);
  if (str.length > maxBytes) str = truncate(str, maxBytes);
  const len = str.length;
  let pairs = 0;
  // Position of the next "%" at or after the current value, searched lazily so
  // that a header without any "%" costs one native scan in total.
  let pct = -1;
  let eq = -1;
  let seen = 0;
  let i = 0;
  while (i < len) {
    let end = str.indexOf(";", i);
    if (end === -1) end = len;
    // Native search for "=", remembered across pairs: when a pair has no "="
    // the hit lies beyond it and serves the following pairs, so the header is
    // scanned for "=" once in total (linear even for "a;a;a;...;=").
    if (eq < i) {
      eq = str.indexOf("=", i);
      if (eq === -1) eq = len;
    }
    if (eq >= end) {
      // No "=" before the next "=": every pair up to the one holding it is
      // nameless. Jump straight to that pair (or stop if there is none).
      if (eq === len) break;
      i = str.lastIndexOf(";", eq - 1) + 1;
      continue;
    }
    let ns = i;
    let ne = eq;
    let c = str.charCodeAt(ns);
    while (ns < ne && (c === 0x20 || c === 0x09)) c = str.charCodeAt(++ns);
    c = str.charCodeAt(ne - 1);
    while (ne > ns && (c === 0x20 || c === 0x09)) c = str.charCodeAt(--ne - 1);
    if (ns < ne) {
      if (++pairs > maxPairs) break;
      const name = sliceName(str, ns, ne);
      // A name whose hash bit is not yet set cannot be a duplicate: most
      // pairs skip the keyed lookup that first-wins otherwise needs.
      const bit = 1 << (lastSlot & 31);
      if ((seen & bit) === 0 || out[name] === undefined) {
        seen |= bit;
        let vs = eq + 1;
        let ve = end;
        c = str.charCodeAt(vs);
        while (vs < ve && (c === 0x20 || c === 0x09)) c = str.charCodeAt(++vs);
        c = str.charCodeAt(ve - 1);
        while (ve > vs && (c === 0x20 || c === 0x09)) c = str.charCodeAt(--ve - 1);
        if (
          unquote &&
          ve - vs >= 2 &&
          str.charCodeAt(vs) === 0x22 &&
          str.charCodeAt(ve - 1) === 0x22
        ) {
          vs++;
          ve--;
        }
        let value = str.slice(vs, ve);
        if (decode) {
          if (pct !== len && pct < vs) {
            pct = str.indexOf("%", vs);
            if (pct === -1) pct = len;
          }
          if (pct < ve) value = tryDecode(value);
        }
        out[name] = value;
      }
    }
    i = end + 1;
  }
  return out;
}
