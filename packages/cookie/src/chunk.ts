import { clearCookie } from "./clear-cookie.js";
import { CookieError, describe } from "./errors.js";
import { checkName, encodeValue, serializeAttributes } from "./lib/attributes.js";
import { count as limitOption } from "./lib/header.js";
import { MAX_NAME_VALUE } from "./lib/limits.js";
import type { PrefixConstraint, SerializeOptions } from "./types.js";

/**
 * RFC 6265bis §6.1: UAs keep at least 50 cookies per domain, so a value that
 * needs more chunks than that cannot be stored reliably.
 */
const DEFAULT_MAX_CHUNKS = 50;

/** Options of {@link chunkSetCookie}. */
export interface ChunkOptions {
  /**
   * The cookies of the current request (from {@link parseCookie}), so chunks
   * and plain cookies of `name` that the new value no longer uses are cleared.
   * @default undefined (nothing is cleared)
   */
  incoming?: Readonly<Record<string, unknown>> | null;
  /**
   * Most chunks one value may take; beyond it `ERR_COOKIE_TOO_LARGE` is thrown.
   * @default 50 (RFC 6265bis §6.1: at least 50 cookies per domain)
   */
  maxChunks?: number;
  /**
   * Most octets the value's cookies may take together in a request's
   * `Cookie` header: every `name=value` pair (chunk names and the count marker
   * included) and the "; " between them, as a browser sends them back. Beyond
   * it `ERR_COOKIE_TOO_LARGE` is thrown and nothing is returned: a cookie set
   * the server's header limit would refuse locks the user out (HTTP 431 on
   * every request) until it expires. nginx and Apache accept about 8 KiB for
   * a whole header line; leave room for the site's other cookies.
   * @default Infinity (only maxChunks applies)
   */
  maxBytes?: number;
}

/** Options of {@link joinChunks}. */
export interface JoinChunksOptions {
  /** Largest chunk count accepted. @default 50 */
  maxChunks?: number;
}

function maxChunksOf(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CHUNKS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 999) {
    throw new CookieError(
      "ERR_COOKIE_INVALID_OPTION",
      `option maxChunks must be an integer in 1..999: ${describe(value)}`,
    );
  }
  return value;
}

/** "%8x".."%Bx": a UTF-8 continuation byte, which must not start a chunk. */
function isContinuation(enc: string, at: number): boolean {
  if (enc.charCodeAt(at) !== 0x25) return false;
  const h = enc.charCodeAt(at + 1);
  return h === 0x38 || h === 0x39 || h === 0x41 || h === 0x42 || h === 0x61 || h === 0x62;
}

/**
 * Where to end a chunk at most `max` characters after `pos`, never inside a
 * "%XX" escape nor between the bytes of one UTF-8 sequence, so every chunk
 * percent-decodes on its own and the decoded chunks concatenate to the value.
 */
function cutAt(enc: string, pos: number, max: number): number {
  let cut = pos + max;
  if (cut >= enc.length) return enc.length;
  if (enc.charCodeAt(cut - 1) === 0x25) cut -= 1;
  else if (enc.charCodeAt(cut - 2) === 0x25) cut -= 2;
  while (cut - 3 > pos && isContinuation(enc, cut)) cut -= 3;
  return cut > pos ? cut : pos + max;
}

/** Canonical chunk index of `key` for cookie `name`, -1 for another cookie, -2 for a malformed index. */
function chunkIndex(key: string, name: string): number {
  if (
    key.length <= name.length + 1 ||
    !key.startsWith(name) ||
    key.charCodeAt(name.length) !== 0x2e
  ) {
    return -1;
  }
  let n = 0;
  for (let i = name.length + 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + c - 0x30;
  }
  const digits = key.length - name.length - 1;
  if (digits > 3 || (digits > 1 && key.charCodeAt(name.length + 1) === 0x30)) return -2;
  return n;
}

/**
 * Writes a value that may be too large for one cookie. A value whose whole
 * `Set-Cookie` line fits in 4096 octets is written as plain `name`; a larger
 * one is split across `name.0`, `name.1`, ... each line (attributes included)
 * at most 4096 octets (RFC 6265 §6.1, RFC 6265bis §5.6). The value of `name.0`
 * starts with the chunk count and ":" (e.g. `3:`), so {@link joinChunks} can
 * tell a complete set from a truncated one.
 *
 * With `incoming`, every cookie of this family that the new value does not
 * overwrite (the plain `name`, or chunks past the new count) gets a clearing
 * line with the same attributes. No name ever appears twice in the result
 * (RFC 6265bis §4.1.1: a response should not carry two Set-Cookie fields
 * for one name). With `maxBytes`, a value whose cookies would take more of
 * the request's `Cookie` header than that throws `ERR_COOKIE_TOO_LARGE`.
 * Validation and errors are otherwise those of {@link serializeSetCookie}.
 *
 * @example
 * ```ts
 * const lines = chunkSetCookie("__Host-sess", sealed, secureCookieDefaults, {
 *   incoming: parseCookie(request.headers.get("cookie"), { decode: false }),
 * });
 * for (const line of lines) response.headers.append("set-cookie", line);
 * ```
 */
export function chunkSetCookie<Name extends string>(
  name: Name,
  value: string,
  attributes?: SerializeOptions & PrefixConstraint<Name>,
  options?: ChunkOptions,
): string[];
export function chunkSetCookie(
  name: string,
  value: string,
  attributes: SerializeOptions = {},
  options: ChunkOptions = {},
): string[] {
  const prefix = checkName(name);
  const maxChunks = maxChunksOf(options.maxChunks);
  const maxBytes = limitOption("maxBytes", options.maxBytes, Infinity);
  const enc = encodeValue(value, attributes.encode);
  const suffix = serializeAttributes(name, prefix, attributes);
  const incoming = options.incoming ?? undefined;
  const lines: string[] = [];
  let count = 0;

  if (name.length + 1 + enc.length + suffix.length <= MAX_NAME_VALUE) {
    lines.push(name + "=" + enc + suffix);
  } else {
    const countDigits = String(maxChunks).length;
    let pos = 0;
    while (pos < enc.length) {
      const head = name.length + 2 + String(count).length + (count === 0 ? countDigits + 1 : 0);
      const budget = MAX_NAME_VALUE - head - suffix.length;
      if (budget < 16) {
        throw new CookieError(
          "ERR_COOKIE_TOO_LARGE",
          `the attributes of cookie ${describe(name)} leave no room for a chunk within ${MAX_NAME_VALUE} octets`,
        );
      }
      const cut = cutAt(enc, pos, budget);
      lines.push(enc.slice(pos, cut));
      pos = cut;
      count++;
      if (count > maxChunks) {
        throw new CookieError(
          "ERR_COOKIE_TOO_LARGE",
          `cookie ${describe(name)} needs more than maxChunks (${maxChunks}) chunks`,
        );
      }
    }
    for (let i = 0; i < count; i++) {
      lines[i] = `${name}.${i}=${i === 0 ? `${count}:` : ""}${lines[i]}${suffix}`;
    }
  }
  if (maxBytes !== Infinity) {
    // The pairs as a request carries them back: each line up to its attributes, "; " between.
    const pairs = Math.max(count, 1);
    let bytes = 2 * (pairs - 1);
    for (let i = 0; i < pairs; i++) bytes += lines[i]!.length - suffix.length;
    if (bytes > maxBytes) {
      throw new CookieError(
        "ERR_COOKIE_TOO_LARGE",
        `cookie ${describe(name)} needs ${bytes} octets of the Cookie header, above maxBytes (${maxBytes})`,
      );
    }
  }

  if (incoming != null) {
    if (count > 0 && Object.hasOwn(incoming, name)) lines.push(clearCookie(name, attributes));
    for (const key of Object.keys(incoming)) {
      const index = chunkIndex(key, name);
      if (index >= count || index === -2) lines.push(clearCookie(key, attributes));
    }
  }
  return lines;
}

/**
 * Reassembles a value written by {@link chunkSetCookie} from parsed request
 * cookies. Returns the plain `name` cookie when there are no chunks, the joined
 * chunks when the set is complete, and `undefined` when the cookie is absent or
 * the set is unusable: `name.0` missing or without a valid count marker, a chunk
 * missing, a chunk beyond the count, an index written with leading zeros, or a
 * plain `name` beside chunks: a partial or mixed set must never reassemble
 * into a different value. Chunks are joined by index, not header order.
 * Never throws on cookie input.
 *
 * The values are joined as they appear in `cookies`: parse with the same
 * `decode` setting you would use for the unchunked cookie.
 *
 * @example
 * ```ts
 * const sealed = joinChunks(parseCookie(header, { decode: false }), "__Host-sess");
 * if (sealed === undefined) { ... } // no session
 * ```
 */
export function joinChunks(
  cookies: Readonly<Record<string, string | undefined>>,
  name: string,
  options?: JoinChunksOptions,
): string | undefined {
  if (typeof cookies !== "object" || cookies === null || typeof name !== "string") return undefined;
  const maxChunks = maxChunksOf(options?.maxChunks);
  let chunks = 0;
  let highest = -1;
  for (const key of Object.keys(cookies)) {
    const index = chunkIndex(key, name);
    if (index === -2) return undefined;
    if (index >= 0) {
      chunks++;
      if (index > highest) highest = index;
    }
  }
  const plain = Object.hasOwn(cookies, name) ? cookies[name] : undefined;
  if (chunks === 0) return typeof plain === "string" ? plain : undefined;
  if (plain !== undefined) return undefined;
  const first = cookies[`${name}.0`];
  if (typeof first !== "string") return undefined;
  let count = 0;
  let k = 0;
  for (; k < first.length && k < 4; k++) {
    const c = first.charCodeAt(k);
    if (c < 0x30 || c > 0x39) break;
    count = count * 10 + c - 0x30;
  }
  if (k === 0 || first.charCodeAt(k) !== 0x3a || (k > 1 && first.charCodeAt(0) === 0x30)) {
    return undefined;
  }
  // Every index is distinct and below count, and there are count of them: 0..count-1 all present.
  if (count < 1 || count > maxChunks || chunks !== count || highest !== count - 1) return undefined;
  let value = first.slice(k + 1);
  for (let i = 1; i < count; i++) {
    const part = cookies[`${name}.${i}`];
    if (typeof part !== "string") return undefined;
    value += part;
  }
  return value;
}
