/** Options for {@link parseCookie}. */
export interface ParseCookieOptions {
  /**
   * Only the first `maxBytes` characters of the header are read.
   * @default 8192 (RFC 6265bis §4.2.1: servers commonly cap request headers at 8 KiB)
   */
  maxBytes?: number;
}

/**
 * Parse a request's `Cookie` header into a null-prototype object.
 * Never throws; the first occurrence of a duplicated name wins.
 *
 * @example
 * ```ts
 * parseCookie("a=1; b=2"); // { a: "1", b: "2" }
 * ```
 */
export function parseCookie(
  header: string,
  options: ParseCookieOptions = {},
): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const text = header.slice(0, options.maxBytes ?? 8192);
  for (const pair of text.split(";")) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    if (name === "" || name in out) continue;
    out[name] = pair.slice(eq + 1).trim();
  }
  return out;
}
