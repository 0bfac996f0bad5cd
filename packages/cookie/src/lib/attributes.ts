import { CookieError, describe } from "../errors.js";
import type { CookieAttributes, CookieEncoding } from "../types.js";
import { formatImfFixdate } from "./date.js";
import { isCookieValue, isDomain, PATH_CHAR, TCHAR, UNSAFE_OCTET } from "./grammar.js";
import { EXPIRY_TOLERANCE_MS, MAX_AGE_LIMIT, MAX_ATTRIBUTE_VALUE } from "./limits.js";

/** The reserved prefix of a cookie name, as {@link checkName} finds it. */
export enum Prefix {
  None = 0,
  Secure = 1,
  Host = 2,
  Http = 3,
  HostHttp = 4,
  /** A reserved prefix in another case: refused by {@link serializeAttributes}. */
  Folded = 5,
}

/** Characters of each {@link Prefix}, by kind; 0 where nothing is known valid. */
const PREFIX_LENGTH = [0, 9, 7, 7, 12, 0] as const;

/** Earliest instant RFC 6265bis §5.1.1 can express (year 1601). */
const MIN_DATE_MS = -11_644_473_600_000;

function fail(code: CookieError["code"], message: string): never {
  throw new CookieError(code, message);
}

function invalidName(name: unknown): never {
  throw new CookieError("ERR_COOKIE_INVALID_NAME", `cookie name is invalid: ${describe(name)}`);
}

/**
 * Throws unless `name` is an RFC 9110 token (RFC 6265bis §4.1.1 cookie-name),
 * and returns its reserved prefix (RFC 6265bis §4.1.3; `__Http-` and
 * `__Host-Http-` from the layered-cookies draft). Stricter than the `cookie`
 * package, which lets `"`, `/`, `@`, `[` ... through.
 *
 * UAs match prefixes case-insensitively, so a name like `__HOST-sid` gets the
 * rules of `__Host-` from a browser but not from a server that compares
 * exactly: such a name comes back as {@link Prefix.Folded}, and
 * {@link serializeAttributes} refuses it.
 */
export function checkName(name: unknown): Prefix {
  if (typeof name !== "string" || name.length === 0) invalidName(name);
  const prefix = prefixOf(name);
  // An exact prefix is made of token characters: the scan starts after it.
  // With the prefix found once here instead of again for the attributes,
  // serializing a __Host- cookie takes 2,050 instructions instead of 2,200
  // (callgrind), a __Secure- one about 2,750 instead of 3,100.
  for (let i = PREFIX_LENGTH[prefix]; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 127 || TCHAR[c] === 0) invalidName(name);
  }
  return prefix;
}

function prefixOf(name: string): Prefix {
  if (name.length < 7 || name.charCodeAt(0) !== 0x5f || name.charCodeAt(1) !== 0x5f) {
    return Prefix.None;
  }
  // Exact spellings first, as a session cookie is named, told apart by their
  // third character so that one builtin call settles most names: "__Secure-"
  // and "__Http-" cannot also match another prefix in another case, and after
  // "__Host-" only "Http-" (in any case) remains to tell apart. The
  // case-folding scan of every prefix is left for names that fail these
  // (callgrind, whole serializeSetCookie call: __Secure- 3,700 instructions
  // with the scan first, 3,100 without; __Host- 2,350 and 2,200).
  const third = name.charCodeAt(2);
  if (third === 0x48 && name.startsWith("__Host-")) {
    // "h" after "__Host-" is the only way to a (maybe miscased) "__Host-Http-".
    if ((name.charCodeAt(7) | 0x20) !== 0x68) return Prefix.Host;
    const rest = compareFold(name, "__Host-Http-");
    if (rest === 0) return Prefix.Host;
    if (rest === 1) return Prefix.HostHttp;
    return Prefix.Folded;
  }
  if (third === 0x53 && name.startsWith("__Secure-")) return Prefix.Secure;
  if (third === 0x48 && name.startsWith("__Http-")) return Prefix.Http;
  for (let p = 0; p < PREFIXES.length; p++) {
    const match = compareFold(name, PREFIXES[p]!);
    if (match === 1) return PREFIX_KINDS[p]!;
    if (match === 2) return Prefix.Folded;
  }
  return Prefix.None;
}

/** Throws `ERR_COOKIE_PREFIX_CASE` for a name {@link prefixOf} found {@link Prefix.Folded}. */
function refuseFolded(name: string): never {
  const canonical = PREFIXES.find((prefix) => compareFold(name, prefix) === 2)!;
  return fail(
    "ERR_COOKIE_PREFIX_CASE",
    `cookie name ${describe(name)} spells the ${canonical} prefix in another case; browsers apply prefix rules case-insensitively, so use ${canonical} exactly`,
  );
}

// Longest first: "__Host-Http-" must win over "__Host-".
const PREFIXES = ["__Host-Http-", "__Host-", "__Http-", "__Secure-"] as const;
const PREFIX_KINDS = [Prefix.HostHttp, Prefix.Host, Prefix.Http, Prefix.Secure] as const;

/** 0: `name` does not start with `prefix`; 1: it does exactly; 2: only ignoring ASCII case. */
function compareFold(name: string, prefix: string): 0 | 1 | 2 {
  if (name.length < prefix.length) return 0;
  let folded = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = name.charCodeAt(i);
    const k = prefix.charCodeAt(i);
    if (c === k) continue;
    const lower = c | 0x20;
    if (lower >= 0x61 && lower <= 0x7a && lower === (k | 0x20)) folded = true;
    else return 0;
  }
  return folded ? 2 : 1;
}

/**
 * Encodes a cookie value. The percent encoder leaves values made only of
 * `cookie-octet`s other than "%" untouched (so signed tokens stay byte-exact)
 * and otherwise applies `encodeURIComponent`, whose output is always
 * cookie-octets and which `parseCookie` reverses.
 */
export function encodeValue(value: unknown, encode: CookieEncoding | undefined): string {
  if (typeof value !== "string") {
    fail("ERR_COOKIE_INVALID_VALUE", `cookie value must be a string: ${describe(value)}`);
  }
  if (!UNSAFE_OCTET.test(value)) return value;
  if (encode === undefined || encode === "percent") {
    try {
      return encodeURIComponent(value);
    } catch (cause) {
      // A lone surrogate has no UTF-8 form.
      throw new CookieError(
        "ERR_COOKIE_INVALID_VALUE",
        `cookie value is not well-formed Unicode: ${describe(value)}`,
        { cause },
      );
    }
  }
  if (encode === "raw") {
    if (isCookieValue(value)) return value;
    fail(
      "ERR_COOKIE_INVALID_VALUE",
      `cookie value has characters outside cookie-octet (RFC 6265bis §4.1.1); use encode: "percent": ${describe(value)}`,
    );
  }
  return fail("ERR_COOKIE_INVALID_OPTION", `option encode is invalid: ${describe(encode)}`);
}

function assertFlag(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    fail("ERR_COOKIE_INVALID_OPTION", `option ${name} must be a boolean: ${describe(value)}`);
  }
}

function checkPath(path: unknown): string {
  if (typeof path !== "string") {
    return fail("ERR_COOKIE_INVALID_PATH", `option path is invalid: ${describe(path)}`);
  }
  if (path.length > MAX_ATTRIBUTE_VALUE) {
    fail(
      "ERR_COOKIE_ATTRIBUTE_TOO_LONG",
      `option path is longer than ${MAX_ATTRIBUTE_VALUE} octets (RFC 6265bis §5.6): ${describe(path)}`,
    );
  }
  // RFC 6265bis §5.6.4: a path not starting with "/" is replaced by the default path.
  if (path.charCodeAt(0) !== 0x2f) {
    fail("ERR_COOKIE_INVALID_PATH", `option path must start with "/": ${describe(path)}`);
  }
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 127 || PATH_CHAR[c] === 0) {
      fail("ERR_COOKIE_INVALID_PATH", `option path is invalid: ${describe(path)}`);
    }
  }
  return path;
}

function checkDomain(domain: unknown): string {
  if (typeof domain !== "string") {
    return fail("ERR_COOKIE_INVALID_DOMAIN", `option domain is invalid: ${describe(domain)}`);
  }
  if (domain.length > MAX_ATTRIBUTE_VALUE) {
    fail(
      "ERR_COOKIE_ATTRIBUTE_TOO_LONG",
      `option domain is longer than ${MAX_ATTRIBUTE_VALUE} octets: ${describe(domain)}`,
    );
  }
  if (!isDomain(domain)) {
    fail("ERR_COOKIE_INVALID_DOMAIN", `option domain is invalid: ${describe(domain)}`);
  }
  return domain;
}

function sameSiteOf(value: unknown): string {
  switch (value) {
    case "lax":
    case "Lax":
      return "; SameSite=Lax";
    case "strict":
    case "Strict":
      return "; SameSite=Strict";
    case "none":
    case "None":
      return "; SameSite=None";
  }
  const lower = typeof value === "string" ? value.toLowerCase() : "";
  if (lower === "lax") return "; SameSite=Lax";
  if (lower === "strict") return "; SameSite=Strict";
  if (lower === "none") return "; SameSite=None";
  return fail(
    "ERR_COOKIE_INVALID_SAME_SITE",
    `option sameSite must be Strict, Lax or None: ${describe(value)}`,
  );
}

function priorityOf(value: unknown): string {
  switch (value) {
    case "high":
    case "High":
      return "; Priority=High";
    case "medium":
    case "Medium":
      return "; Priority=Medium";
    case "low":
    case "Low":
      return "; Priority=Low";
  }
  const lower = typeof value === "string" ? value.toLowerCase() : "";
  if (lower === "high") return "; Priority=High";
  if (lower === "medium") return "; Priority=Medium";
  if (lower === "low") return "; Priority=Low";
  return fail(
    "ERR_COOKIE_INVALID_PRIORITY",
    `option priority must be Low, Medium or High: ${describe(value)}`,
  );
}

/**
 * Validates the attributes for cookie `name`, whose prefix {@link checkName}
 * returned, and returns them serialized, each preceded by "; ", in a fixed
 * order (Path, Domain, Expires, Max-Age, HttpOnly, Secure, SameSite,
 * Partitioned, Priority) so no attribute is ever repeated.
 */
export function serializeAttributes(name: string, prefix: Prefix, o: CookieAttributes): string {
  if (prefix === Prefix.Folded) refuseFolded(name);
  const { secure, httpOnly, partitioned, maxAge, expires } = o;
  assertFlag("secure", secure);
  assertFlag("httpOnly", httpOnly);
  assertFlag("partitioned", partitioned);
  const host = prefix === Prefix.Host || prefix === Prefix.HostHttp;

  let out = "";
  const path = o.path;
  if (path === "/") out = "; Path=/";
  else if (path !== undefined) {
    checkPath(path);
    if (host) violation(`a __Host- cookie needs path "/": ${describe(path)}`);
    out = "; Path=" + path;
  } else if (host) {
    // RFC 6265bis §4.1.3.2: without Path=/ the UA rejects a __Host- cookie.
    out = "; Path=/";
  }
  const domain = o.domain;
  if (domain !== undefined) {
    checkDomain(domain);
    if (host) violation(`a __Host- cookie must not have a domain: ${describe(domain)}`);
    out += "; Domain=" + domain;
  }
  if (expires !== undefined) out += expiresAttribute(expires, maxAge);
  if (maxAge !== undefined) {
    checkMaxAge(maxAge);
    out += "; Max-Age=" + maxAge;
  }
  if (httpOnly === true) out += "; HttpOnly";
  else if (prefix === Prefix.Http || prefix === Prefix.HostHttp) {
    violation(`a __Http- cookie needs httpOnly: true: ${describe(name)}`);
  }
  if (secure === true) out += "; Secure";
  else if (prefix !== Prefix.None) {
    violation(`a prefixed cookie needs secure: true: ${describe(name)}`);
  }
  if (o.sameSite !== undefined) {
    const sameSite = sameSiteOf(o.sameSite);
    // RFC 6265bis §5.6 storage step: UAs drop SameSite=None cookies that are not Secure.
    if (secure !== true && sameSite === "; SameSite=None") {
      fail("ERR_COOKIE_SECURE_REQUIRED", "sameSite None needs secure: true");
    }
    out += sameSite;
  }
  if (partitioned === true) {
    if (secure !== true)
      fail("ERR_COOKIE_SECURE_REQUIRED", "partitioned needs secure: true (CHIPS)");
    out += "; Partitioned";
  }
  if (o.priority !== undefined) out += priorityOf(o.priority);
  return out;
}

function violation(message: string): never {
  throw new CookieError("ERR_COOKIE_PREFIX_VIOLATION", message);
}

/** "; Expires=..." for `expires`, checked against `maxAge` when both are set. */
function expiresAttribute(expires: unknown, maxAge: unknown): string {
  const ms =
    expires instanceof Date
      ? expires.getTime()
      : typeof expires === "number"
        ? expires
        : Number.NaN;
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS) {
    fail("ERR_COOKIE_INVALID_EXPIRES", `option expires is invalid: ${describe(expires)}`);
  }
  const now = Date.now();
  if (ms > now + MAX_AGE_LIMIT * 1000) {
    fail(
      "ERR_COOKIE_INVALID_EXPIRES",
      `option expires is more than 400 days ahead (RFC 6265bis §5.5): ${describe(expires)}`,
    );
  }
  if (maxAge !== undefined) {
    checkMaxAge(maxAge);
    const agree =
      maxAge === 0
        ? ms <= now + EXPIRY_TOLERANCE_MS
        : Math.abs(ms - (now + maxAge * 1000)) <= EXPIRY_TOLERANCE_MS;
    if (!agree) {
      fail(
        "ERR_COOKIE_INCONSISTENT_EXPIRY",
        `options maxAge (${maxAge} s) and expires (${new Date(ms).toISOString()}) disagree`,
      );
    }
  }
  return "; Expires=" + formatImfFixdate(ms);
}

function checkMaxAge(maxAge: unknown): asserts maxAge is number {
  if (
    typeof maxAge !== "number" ||
    !Number.isInteger(maxAge) ||
    maxAge < 0 ||
    maxAge > MAX_AGE_LIMIT
  ) {
    fail(
      "ERR_COOKIE_INVALID_MAX_AGE",
      `option maxAge must be an integer number of seconds in 0..${MAX_AGE_LIMIT} (RFC 6265bis §5.5): ${describe(maxAge)}`,
    );
  }
}
