/**
 * `SameSite` values (RFC 6265bis §4.1.2.7). Input is case-insensitive; output is
 * always `Strict`, `Lax` or `None`.
 */
export type SameSite =
  | "strict"
  | "lax"
  | "none"
  | "Strict"
  | "Lax"
  | "None"
  | "STRICT"
  | "LAX"
  | "NONE";

/** `Priority` values (Chrome's cookie priority). Case-insensitive input; output `Low`, `Medium`, `High`. */
export type Priority =
  | "low"
  | "medium"
  | "high"
  | "Low"
  | "Medium"
  | "High"
  | "LOW"
  | "MEDIUM"
  | "HIGH";

/**
 * The attributes of a `Set-Cookie` line (RFC 6265bis §4.1.2). Every field is
 * validated by {@link serializeSetCookie}; nothing is written unless set.
 */
export interface CookieAttributes {
  /**
   * Lifetime in seconds (RFC 6265bis §4.1.2.2). An integer in 0..34,560,000
   * (400 days, §5.5); 0 deletes the cookie. Negative values are refused.
   * @default undefined (a session cookie, dropped when the browser closes)
   */
  maxAge?: number;
  /**
   * Absolute expiry (RFC 6265bis §4.1.2.1), as a `Date` or epoch milliseconds,
   * written as an IMF-fixdate. At most 400 days ahead. When `maxAge` is also set
   * the two must agree within 2 seconds.
   * @default undefined
   */
  expires?: Date | number;
  /**
   * Host name the cookie is shared with, subdomains included (§4.1.2.3). Omit it
   * for a host-only cookie, the safer choice.
   * @default undefined (host-only)
   */
  domain?: string;
  /** Absolute path prefix the cookie is sent for (§4.1.2.4). @default undefined */
  path?: string;
  /** Send only over secure channels (§4.1.2.5). @default false */
  secure?: boolean;
  /** Hide from JavaScript (§4.1.2.6). @default false */
  httpOnly?: boolean;
  /** Cross-site policy (§4.1.2.7). `None` requires `secure`. @default undefined */
  sameSite?: SameSite;
  /** CHIPS partitioned cookie; requires `secure`. @default false */
  partitioned?: boolean;
  /** Chrome eviction priority. @default undefined */
  priority?: Priority;
}

/** How {@link serializeSetCookie} writes the value. */
export type CookieEncoding = "percent" | "raw";

/** Options of {@link serializeSetCookie}: the attributes plus the value encoding. */
export interface SerializeOptions extends CookieAttributes {
  /**
   * `"percent"`: a value made only of `cookie-octet`s other than `%` is written as
   * is; any other value is written with `encodeURIComponent`, so every Unicode
   * string is safe and {@link parseCookie} (which decodes by default) returns it
   * unchanged. `"raw"`: the value must already be `cookie-value` (RFC 6265bis
   * §4.1.1) or the call throws `ERR_COOKIE_INVALID_VALUE`.
   * @default "percent"
   */
  encode?: CookieEncoding;
}

/** Attribute constraints of the `__Host-Http-` prefix (layered-cookies draft). */
export interface HostHttpConstraint {
  secure: true;
  httpOnly: true;
  path?: "/";
  domain?: undefined;
}
/** Attribute constraints of the `__Host-` prefix (RFC 6265bis §4.1.3.2). */
export interface HostConstraint {
  secure: true;
  path?: "/";
  domain?: undefined;
}
/** Attribute constraints of the `__Http-` prefix (layered-cookies draft). */
export interface HttpConstraint {
  secure: true;
  httpOnly: true;
}
/** Attribute constraints of the `__Secure-` prefix (RFC 6265bis §4.1.3.1). */
export interface SecureConstraint {
  secure: true;
}

/**
 * The attributes a cookie name's prefix demands, computed from a literal name
 * type; for a plain `string` name there is no constraint (runtime checks still apply).
 *
 * @example
 * ```ts
 * const ok: PrefixConstraint<"__Host-sid"> = { secure: true, path: "/" };
 * ```
 */
export type PrefixConstraint<Name extends string> = string extends Name
  ? unknown
  : Name extends `__Host-Http-${string}`
    ? HostHttpConstraint
    : Name extends `__Host-${string}`
      ? HostConstraint
      : Name extends `__Http-${string}`
        ? HttpConstraint
        : Name extends `__Secure-${string}`
          ? SecureConstraint
          : unknown;

/**
 * The options argument for a literal cookie name: required (with the prefix's
 * constraints) for a prefixed name, optional otherwise.
 */
export type OptionsFor<Name extends string, Options> =
  unknown extends PrefixConstraint<Name>
    ? [options?: Options]
    : [options: Options & PrefixConstraint<Name>];

/** Attributes as {@link parseSetCookie} reports them (canonical lower-case enums, `Date` expiry). */
export interface SetCookieAttributes {
  maxAge?: number;
  expires?: Date;
  domain?: string;
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "strict" | "lax" | "none";
  partitioned?: boolean;
  priority?: "low" | "medium" | "high";
}

/** A parsed `Set-Cookie` line. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: SetCookieAttributes;
}
