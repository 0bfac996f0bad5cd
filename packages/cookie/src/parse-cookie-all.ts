import {
  type CookieHeader,
  CookieRecord,
  DEFAULT_LIMITS,
  headerText,
  inFamily,
  type ParseCookieAllOptions,
  resolveLimits,
  resolveOnly,
  sliceName,
  truncate,
  tryDecode,
} from "./lib/header.js";

/**
 * Like {@link parseCookie}, but keeps every value of a name, in header order.
 * A browser sends two cookies of one name when they differ in Domain or Path;
 * an attacker on a sibling subdomain can plant such a twin (cookie tossing), so
 * a session layer should look at all values of its own cookie and treat more
 * than one as an attack (CK-09), and chunk or migration code may need them all.
 * Same splitting, trimming, limits and decoding rules; never throws on header
 * input. With `only`, every other name is skipped unread and uncounted: give
 * the session cookie's name and a `maxBytes` as large as the headers your
 * server accepts to see every copy of it, however much padding precedes one.
 *
 * @example
 * ```ts
 * const all = parseCookieAll("sid=attacker; sid=victim", { decode: false });
 * all.sid; // ["attacker", "victim"]
 * if ((all["__Host-sid"]?.length ?? 0) > 1) { ... } // duplicate: no session
 * parseCookieAll(header, { decode: false, maxBytes: 32_768, only: "__Host-sess" });
 * // { "__Host-sess.0": [...], "__Host-sess.1": [...] }: this cookie and its chunks only
 * ```
 */
export function parseCookieAll(
  header: CookieHeader,
  options?: ParseCookieAllOptions,
): Record<string, string[]> {
  const out = new CookieRecord() as Record<string, string[]>;
  let str = typeof header === "string" ? header : headerText(header);
  const { decode, unquote, maxBytes, maxPairs } =
    options === undefined ? DEFAULT_LIMITS : resolveLimits(options);
  const only = resolveOnly(options);
  if (str.length > maxBytes) str = truncate(str, maxBytes);
  const len = str.length;
  let pairs = 0;
  let eq = -1;
  let i = 0;
  while (i < len) {
    let end = str.indexOf(";", i);
    if (end === -1) end = len;
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
    while (ns < ne && isOws(str.charCodeAt(ns))) ns++;
    while (ne > ns && isOws(str.charCodeAt(ne - 1))) ne--;
    if (ns < ne && (only === undefined || inFamily(str, ns, ne, only))) {
      if (++pairs > maxPairs) break;
      let vs = eq + 1;
      let ve = end;
      while (vs < ve && isOws(str.charCodeAt(vs))) vs++;
      while (ve > vs && isOws(str.charCodeAt(ve - 1))) ve--;
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
      if (decode && value.indexOf("%") !== -1) value = tryDecode(value);
      const name = sliceName(str, ns, ne);
      const list = out[name];
      if (list === undefined) out[name] = [value];
      else list.push(value);
    }
    i = end + 1;
  }
  return out;
}

/** RFC 9110 §5.6.3 OWS: space or horizontal tab. */
function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
