import { parseCookieAll, parseSetCookie } from "@tessera/cookie";

/** One cookie as Next.js's `cookies()` lists it. */
export interface JarCookie {
  name: string;
  value: string;
}

/** The part of Next.js's `cookies()` object the adapter reads and writes. */
export interface CookieJar {
  getAll(): JarCookie[];
  set(cookie: {
    name: string;
    value: string;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: "lax" | "strict" | "none";
    path?: string;
    domain?: string;
    maxAge?: number;
    expires?: Date;
  }): unknown;
}

/** A value that can sit in a `Cookie` header as is (RFC 6265 §4.1.1 cookie-octet). */
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** The session cookie's own names: `name` and its chunks `name.0`, `name.1`, ... */
function isOwnName(cookie: string, name: string): boolean {
  if (cookie === name) return true;
  if (!cookie.startsWith(`${name}.`)) return false;
  return /^\d{1,2}$/.test(cookie.slice(name.length + 1));
}

/** Every pair of a raw `Cookie` header, kept verbatim, with its name. */
function pairs(header: string): Array<{ name: string; pair: string }> {
  const out: Array<{ name: string; pair: string }> = [];
  for (const part of header.split(";")) {
    const pair = part.trim();
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    out.push({ name: (eq === -1 ? "" : pair.slice(0, eq)).trim(), pair });
  }
  return out;
}

/** `header` without the pairs named in `drop`, then `add` (already valid pairs). */
function rewrite(header: string, drop: ReadonlySet<string>, add: readonly string[]): string {
  const kept = pairs(header)
    .filter((p) => !drop.has(p.name))
    .map((p) => p.pair);
  return [...kept, ...add].join("; ");
}

/**
 * The `Cookie` header the session should be loaded from in a Server
 * Component or Server Action. Next.js applies a Server Action's
 * `cookies().set` to what `cookies()` returns in the render that follows,
 * but not to `headers()`; so when the session's own cookies in `cookies()`
 * differ from the raw header, this request changed them and `cookies()` is
 * current. Otherwise the raw header is used, because it alone shows a cookie
 * sent twice (`cookies()` keeps one value per name), which the session
 * manager refuses as a tossed cookie (RFC 6265bis §8.6).
 */
export function currentCookieHeader(raw: string, jar: readonly JarCookie[], name: string): string {
  const sent = parseCookieAll(raw, {
    decode: false,
    unquote: false,
    maxBytes: raw.length,
    maxPairs: Number.POSITIVE_INFINITY,
    only: name,
  });
  const sentOwn = new Map<string, string>();
  for (const key of Object.keys(sent)) {
    if (!isOwnName(key, name)) continue;
    const values = sent[key]!;
    // A duplicate is the manager's to refuse: never hidden behind the one value cookies() keeps.
    if (values.length > 1) return raw;
    sentOwn.set(key, values[0]!);
  }
  const current = new Map<string, string>();
  for (const cookie of jar) {
    // A cookie deleted during this request stays listed with an empty value.
    if (isOwnName(cookie.name, name) && cookie.value !== "") current.set(cookie.name, cookie.value);
  }
  let same = current.size === sentOwn.size;
  for (const [key, value] of current) {
    if (sentOwn.get(key) !== value) same = false;
    // A decoded value that is no longer a cookie-octet string could add pairs to the header.
    if (!COOKIE_OCTETS.test(value)) return raw;
  }
  if (same) return raw;
  return rewrite(
    raw,
    new Set([...sentOwn.keys(), ...current.keys()]),
    [...current].map(([key, value]) => `${key}=${value}`),
  );
}

/**
 * A `Set-Cookie` line that removes its cookie. The manager clears with
 * `Max-Age=0` and an `Expires` at the epoch, so no clock is needed here.
 */
function removes(attributes: { maxAge?: number; expires?: Date }): boolean {
  if (attributes.maxAge !== undefined) return attributes.maxAge <= 0;
  return attributes.expires !== undefined && attributes.expires.getTime() <= 0;
}

/**
 * The request's `Cookie` header as the browser will send it once it has
 * applied `setCookie`: every name a line sets is replaced by its new value,
 * or dropped when the line clears it; other cookies are kept verbatim.
 * Middleware forwards it so the Server Components of the same request read
 * the session the response is about to store.
 */
export function cookieHeaderAfter(raw: string, setCookie: readonly string[]): string {
  const drop = new Set<string>();
  const add = new Map<string, string>();
  for (const line of setCookie) {
    const parsed = parseSetCookie(line, { decode: false });
    if (parsed === null) continue;
    drop.add(parsed.name);
    if (removes(parsed.attributes)) add.delete(parsed.name);
    else add.set(parsed.name, parsed.value);
  }
  return rewrite(
    raw,
    drop,
    [...add].map(([key, value]) => `${key}=${value}`),
  );
}

/**
 * Writes the manager's `Set-Cookie` lines through Next.js's `cookies()`, the
 * only way a Server Action can send a cookie. Each line is parsed back into
 * the object `cookies().set` takes; the manager's values are base64url and
 * dots, which Next.js's percent-encoding leaves unchanged.
 */
export function setThroughJar(jar: CookieJar, setCookie: readonly string[]): void {
  for (const line of setCookie) {
    const parsed = parseSetCookie(line, { decode: false });
    if (parsed === null) continue;
    const { attributes: a } = parsed;
    jar.set({
      name: parsed.name,
      value: parsed.value,
      ...(a.httpOnly === undefined ? {} : { httpOnly: a.httpOnly }),
      ...(a.secure === undefined ? {} : { secure: a.secure }),
      ...(a.sameSite === undefined ? {} : { sameSite: a.sameSite }),
      ...(a.path === undefined ? {} : { path: a.path }),
      ...(a.domain === undefined ? {} : { domain: a.domain }),
      ...(a.maxAge === undefined ? {} : { maxAge: a.maxAge }),
      ...(a.expires === undefined ? {} : { expires: a.expires }),
    });
  }
}
