import { CookieError, describe } from "../errors.js";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PAIRS } from "./limits.js";

/** Options shared by {@link parseCookie} and {@link parseCookieAll}. */
export interface ParseCookieOptions {
  /**
   * Percent-decode values that contain "%" (`decodeURIComponent`); a malformed
   * escape leaves that value exactly as received, never throws. Turn it off for
   * session and signed cookies, which must be checked byte for byte as sent
   * (a decoder maps `%2E` and `.` to the same string, giving one signed value two spellings).
   * @default true
   */
  decode?: boolean;
  /**
   * Strip one pair of surrounding double quotes from a value
   * (RFC 6265bis §4.1.1 allows `DQUOTE *cookie-octet DQUOTE`).
   * @default false (quotes are kept, as browsers send them)
   */
  unquote?: boolean;
  /**
   * Only the first `maxBytes` UTF-16 code units of the header are read (the
   * same as octets for headers, which Node and fetch expose as Latin-1); a pair
   * cut by the limit is dropped, not truncated.
   * @default 8192 (RFC 6265bis §4.2.1)
   */
  maxBytes?: number;
  /**
   * Named pairs read before the rest of the header is ignored, so a flood of pairs costs bounded work.
   * @default 200
   */
  maxPairs?: number;
}

/** Options of {@link parseCookieAll}: those of `parseCookie`, and `only`. */
export interface ParseCookieAllOptions extends ParseCookieOptions {
  /**
   * Keep only the cookie of this name and its chunks: names equal to `only`
   * or starting with `only` and "." (`only.0`, `only.1`, ... as
   * `chunkSetCookie` writes them). Every other pair is skipped before it is
   * sliced, decoded or counted toward `maxPairs`, so a session layer can
   * search a whole large header for every copy of its own cookie (padding
   * placed before a second copy hides nothing) without building a record of
   * all the other cookies.
   * @default undefined (every name)
   */
  only?: string;
}

/** Header input accepted by the parsers: one field, or several (HTTP/2 splits Cookie). */
export type CookieHeader = string | readonly string[] | null | undefined;

/** Resolved parser options. */
export interface Limits {
  decode: boolean;
  unquote: boolean;
  maxBytes: number;
  maxPairs: number;
}

/** The limits when no options are given. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  decode: true,
  unquote: false,
  maxBytes: DEFAULT_MAX_BYTES,
  maxPairs: DEFAULT_MAX_PAIRS,
});

/** A size or count option: a non-negative integer or Infinity, `fallback` when absent. */
export function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !(value >= 0) ||
    !(Number.isInteger(value) || value === Infinity)
  ) {
    throw new CookieError(
      "ERR_COOKIE_INVALID_OPTION",
      `option ${name} must be a non-negative integer: ${describe(value)}`,
    );
  }
  return value;
}

/** The `only` option of {@link parseCookieAll}: a cookie name, or undefined. */
export function resolveOnly(options: ParseCookieAllOptions | undefined): string | undefined {
  const only = options?.only;
  if (only === undefined) return undefined;
  if (typeof only !== "string" || only.length === 0) {
    throw new CookieError(
      "ERR_COOKIE_INVALID_OPTION",
      `option only must be a non-empty cookie name: ${describe(only)}`,
    );
  }
  return only;
}

/** Validated parser options, with defaults for what is absent. */
export function resolveLimits(options: ParseCookieOptions | undefined): Limits {
  if (options === undefined) return DEFAULT_LIMITS;
  if (typeof options !== "object" || options === null) {
    throw new CookieError(
      "ERR_COOKIE_INVALID_OPTION",
      `options must be an object: ${describe(options)}`,
    );
  }
  return {
    decode: options.decode !== false,
    unquote: options.unquote === true,
    maxBytes: count("maxBytes", options.maxBytes, DEFAULT_MAX_BYTES),
    maxPairs: count("maxPairs", options.maxPairs, DEFAULT_MAX_PAIRS),
  };
}

/**
 * RFC 6265bis §4.2.1 / RFC 9113 §8.2.3: several Cookie fields are one list,
 * joined with "; ". Non-string entries are skipped rather than thrown on.
 */
export function headerText(header: CookieHeader): string {
  if (typeof header === "string") return header;
  if (!Array.isArray(header)) return "";
  let text = "";
  for (let i = 0; i < header.length; i++) {
    const field: unknown = header[i];
    if (typeof field !== "string") continue;
    text = text === "" ? field : text + "; " + field;
  }
  return text;
}

/** Percent-decodes, returning the input unchanged on a malformed escape. */
export function tryDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Constructor of parser results. `Object.create(null)` objects live in V8's
 * dictionary mode, where each store of a freshly sliced key takes a runtime
 * call (about ten times slower than the whole rest of a parse). Instances of
 * this constructor stay in fast mode, yet inherit nothing: their prototype is
 * one empty, frozen object whose own prototype is null, so `__proto__`,
 * `constructor` or `toString` are plain own keys and the shared prototype
 * cannot be written to.
 */
export const CookieRecord = (() => {
  const C = function CookieRecord() {} as unknown as new () => Record<string, never>;
  C.prototype = Object.freeze(Object.create(null));
  return C;
})();
