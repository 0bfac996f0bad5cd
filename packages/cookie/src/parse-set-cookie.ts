import { parseCookieDate } from "./lib/date.js";
import { tryDecode } from "./lib/header.js";
import { MAX_ATTRIBUTE_VALUE, MAX_NAME_VALUE } from "./lib/limits.js";
import type { SetCookie, SetCookieAttributes } from "./types.js";

/** Options of {@link parseSetCookie}. */
export interface ParseSetCookieOptions {
  /**
   * Percent-decode the value when it contains "%"; malformed escapes are kept.
   * @default true
   */
  decode?: boolean;
}

function trimStart(s: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

function trimEnd(s: string, from: number, to: number): number {
  let i = to;
  while (i > from) {
    const c = s.charCodeAt(i - 1);
    if (c !== 0x20 && c !== 0x09) break;
    i--;
  }
  return i;
}

/**
 * Parses one `Set-Cookie` field value the way a browser does (RFC 6265bis
 * §5.6): for HTTP clients, test harnesses and tests.
 *
 * - `token` without "=" is a cookie with name `""` and value `"token"`.
 * - Unknown attributes, an invalid `Max-Age` or `Expires`, an empty `Domain`,
 *   a `Path` not starting with "/" and attribute values over 1024 octets are
 *   ignored; for a repeated attribute the last one wins.
 * - `Secure`, `HttpOnly` and `Partitioned` are set by their presence, whatever
 *   follows "=" (`HttpOnly=false` still sets `httpOnly`).
 * - `Domain` is reported lower-cased without a leading dot; `sameSite` and
 *   `priority` lower-cased.
 *
 * Returns `null` where a browser would ignore the whole line: control
 * characters (other than tab), name and value both empty, name plus value over
 * 4096 octets, a nameless value that looks like a `__Secure-`/`__Host-` name,
 * or input that is not a string. Never throws.
 *
 * @example
 * ```ts
 * parseSetCookie("sid=abc; Path=/; HttpOnly; SameSite=Lax");
 * // { name: "sid", value: "abc", attributes: { path: "/", httpOnly: true, sameSite: "lax" } }
 * ```
 */
export function parseSetCookie(header: string, options?: ParseSetCookieOptions): SetCookie | null {
  if (typeof header !== "string") return null;
  const len = header.length;
  // §5.6 step 1: a CTL other than HTAB makes the UA ignore the whole line.
  for (let i = 0; i < len; i++) {
    const c = header.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return null;
  }
  let end = header.indexOf(";");
  if (end === -1) end = len;
  const eq = header.indexOf("=");
  let name: string;
  let value: string;
  if (eq === -1 || eq > end) {
    name = "";
    value = header.slice(trimStart(header, 0, end), trimEnd(header, 0, end));
  } else {
    name = header.slice(trimStart(header, 0, eq), trimEnd(header, 0, eq));
    value = header.slice(trimStart(header, eq + 1, end), trimEnd(header, eq + 1, end));
  }
  if (name === "" && value === "") return null;
  if (name.length + value.length > MAX_NAME_VALUE) return null;
  if (name === "") {
    // §5.6: a nameless cookie must not impersonate a prefixed one.
    const lower = value.slice(0, 9).toLowerCase();
    if (lower.startsWith("__secure-") || lower.startsWith("__host-")) return null;
  }
  if (options?.decode !== false && value.indexOf("%") !== -1) value = tryDecode(value);

  const attributes: SetCookieAttributes = {};
  let i = end + 1;
  while (i < len) {
    let next = header.indexOf(";", i);
    if (next === -1) next = len;
    let aeq = i;
    while (aeq < next && header.charCodeAt(aeq) !== 0x3d) aeq++;
    const attr = header.slice(trimStart(header, i, aeq), trimEnd(header, i, aeq)).toLowerCase();
    const val =
      aeq < next
        ? header.slice(trimStart(header, aeq + 1, next), trimEnd(header, aeq + 1, next))
        : "";
    i = next + 1;
    if (val.length > MAX_ATTRIBUTE_VALUE) continue; // §5.6 step: oversized attribute ignored
    switch (attr) {
      case "expires": {
        const ms = parseCookieDate(val);
        if (!Number.isNaN(ms)) attributes.expires = new Date(ms);
        break;
      }
      case "max-age": {
        // §5.6.2: first character DIGIT or "-", the rest DIGITs.
        let ok = val.length > 0;
        for (let k = 0; k < val.length && ok; k++) {
          const c = val.charCodeAt(k);
          ok = (c >= 0x30 && c <= 0x39) || (k === 0 && c === 0x2d && val.length > 1);
        }
        if (ok) attributes.maxAge = Number(val);
        break;
      }
      case "domain": {
        if (val === "") break;
        const domain = val.charCodeAt(0) === 0x2e ? val.slice(1) : val;
        attributes.domain = domain.toLowerCase();
        break;
      }
      case "path":
        if (val.charCodeAt(0) === 0x2f) attributes.path = val;
        else delete attributes.path; // §5.6.4: falls back to the default path
        break;
      case "secure":
        attributes.secure = true;
        break;
      case "httponly":
        attributes.httpOnly = true;
        break;
      case "partitioned":
        attributes.partitioned = true;
        break;
      case "samesite": {
        const s = val.toLowerCase();
        if (s === "strict" || s === "lax" || s === "none") attributes.sameSite = s;
        else delete attributes.sameSite; // §5.6.7: unknown value means "Default"
        break;
      }
      case "priority": {
        const p = val.toLowerCase();
        if (p === "low" || p === "medium" || p === "high") attributes.priority = p;
        break;
      }
    }
  }
  return { name, value, attributes };
}
