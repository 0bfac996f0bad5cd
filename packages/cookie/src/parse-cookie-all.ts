import {
  type CookieHeader,
  DEFAULT_LIMITS,
  type ParseCookieAllOptions,
  resolveLimits,
  resolveOnly,
} from "./lib/header.js";
import { readPairs } from "./lib/pairs.js";

/**
 * Like {@link parseCookie}, but keeps every value of a name, in header order.
 * A browser sends two cookies of one name when they differ in Domain or Path;
 * an attacker on a sibling subdomain can plant such a twin (cookie tossing), so
 * a session layer should look at all values of its own cookie and treat more
 * than one as an attack, and chunk or migration code may need them all.
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
  const limits = options === undefined ? DEFAULT_LIMITS : resolveLimits(options);
  return readPairs(header, limits, resolveOnly(options), "all") as Record<string, string[]>;
}
