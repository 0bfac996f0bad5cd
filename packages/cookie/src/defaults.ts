/** The attributes {@link secureCookieDefaults} holds, as literal types. */
export interface SecureCookieDefaults {
  readonly httpOnly: true;
  readonly secure: true;
  readonly sameSite: "lax";
  readonly path: "/";
}

/**
 * The attributes a session cookie gets by default (OWASP Session
 * Management): hidden from scripts, HTTPS only, not sent on cross-site
 * subrequests, whole site. Frozen; spread it to override one field. Its literal
 * types satisfy the `__Host-` constraint of {@link serializeSetCookie}.
 *
 * @example
 * ```ts
 * serializeSetCookie("__Host-sid", id, secureCookieDefaults);
 * // "__Host-sid=<id>; Path=/; HttpOnly; Secure; SameSite=Lax"
 * serializeSetCookie("__Host-sid", id, { ...secureCookieDefaults, sameSite: "strict" });
 * ```
 */
export const secureCookieDefaults: SecureCookieDefaults = Object.freeze({
  httpOnly: true,
  secure: true,
  sameSite: "lax",
  path: "/",
});
