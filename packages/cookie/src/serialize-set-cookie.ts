import { CookieError, describe } from "./errors.js";
import { checkName, encodeValue, serializeAttributes } from "./lib/attributes.js";
import { MAX_NAME_VALUE } from "./lib/limits.js";
import type { OptionsFor, SerializeOptions } from "./types.js";

const EMPTY: SerializeOptions = Object.freeze({});

/**
 * Builds one `Set-Cookie` field value (RFC 6265bis §4.1), validating every
 * part first. Throws {@link CookieError} naming the bad option when:
 *
 * - the name is not an RFC 9110 token (`ERR_COOKIE_INVALID_NAME`);
 * - the value cannot be written with the chosen encoding (`ERR_COOKIE_INVALID_VALUE`);
 * - name plus encoded value exceed 4096 octets (`ERR_COOKIE_TOO_LARGE`);
 * - `domain`/`path` are invalid or over 1024 octets;
 * - `maxAge`/`expires` are out of range or disagree;
 * - a `__Secure-`, `__Host-`, `__Http-` or `__Host-Http-` rule is broken, or the
 *   prefix is spelled in another case;
 * - `sameSite: "none"` or `partitioned` come without `secure`.
 *
 * For a literal prefixed name the options are required and typed: a `__Host-`
 * name needs `secure: true` and rejects `domain` at compile time. A `__Host-`
 * cookie without `path` gets `Path=/`.
 *
 * @example
 * ```ts
 * serializeSetCookie("__Host-sid", token, { secure: true, httpOnly: true, sameSite: "lax" });
 * // "__Host-sid=<token>; Path=/; HttpOnly; Secure; SameSite=Lax"
 * serializeSetCookie("theme", "dark mode", { maxAge: 86400 });
 * // "theme=dark%20mode; Max-Age=86400"
 * ```
 */
export function serializeSetCookie<Name extends string>(
  name: Name,
  value: string,
  ...options: OptionsFor<Name, SerializeOptions>
): string;
export function serializeSetCookie(
  name: string,
  value: string,
  options: SerializeOptions = EMPTY,
): string {
  const prefix = checkName(name);
  if (typeof options !== "object" || options === null) {
    throw new CookieError(
      "ERR_COOKIE_INVALID_OPTION",
      `options must be an object: ${describe(options)}`,
    );
  }
  const encoded = encodeValue(value, options.encode);
  if (name.length + encoded.length > MAX_NAME_VALUE) {
    throw new CookieError(
      "ERR_COOKIE_TOO_LARGE",
      `cookie ${describe(name)} is ${name.length + encoded.length} octets with its encoded value; the limit is ${MAX_NAME_VALUE} (RFC 6265bis §5.6)`,
    );
  }
  return name + "=" + encoded + serializeAttributes(name, prefix, options);
}
