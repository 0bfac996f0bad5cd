import { secureCookieDefaults } from "./defaults.js";
import { checkName, serializeAttributes } from "./lib/attributes.js";
import type { CookieAttributes, PrefixConstraint } from "./types.js";

/** RFC 9110 §5.6.7 IMF-fixdate of the Unix epoch. */
const EPOCH = new Date(0);

/**
 * Builds a `Set-Cookie` line that makes the browser drop cookie `name`: an
 * empty value, `Max-Age=0` and an epoch `Expires` (for UAs that predate
 * Max-Age), with the same scope attributes it was set with. A cookie is
 * only replaced when name, Domain and Path match, so pass the attributes the
 * cookie was set with; `maxAge`, `expires` and `priority` in them are ignored.
 *
 * @param attributes the attributes used when setting the cookie
 *   @default secureCookieDefaults
 * @example
 * ```ts
 * clearCookie("__Host-sid");
 * // "__Host-sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax"
 * clearCookie("theme", { path: "/app" });
 * // "theme=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
 * ```
 */
export function clearCookie<Name extends string>(
  name: Name,
  attributes?: CookieAttributes & PrefixConstraint<Name>,
): string;
export function clearCookie(
  name: string,
  attributes: CookieAttributes = secureCookieDefaults,
): string {
  const prefix = checkName(name);
  const { priority: _priority, maxAge: _maxAge, expires: _expires, ...scope } = attributes;
  return name + "=" + serializeAttributes(name, prefix, { ...scope, expires: EPOCH, maxAge: 0 });
}
