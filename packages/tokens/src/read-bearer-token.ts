/**
 * Result of {@link readBearerToken}.
 *
 * @example
 * ```ts
 * const read: BearerRead = readBearerToken(request.headers.get("authorization"));
 * ```
 */
export type BearerRead =
  | { ok: true; token: string }
  | { ok: false; reason: "missing" | "malformed" };

// RFC 6750 §2.1:
//   credentials = "Bearer" 1*SP b64token
//   b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// The scheme is case-insensitive (RFC 9110 §11.1). Two Authorization
// headers arrive joined by ", ", which no b64token contains: malformed.
const CREDENTIALS = /^[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*)$/;

/** Longest header examined; longer ones are malformed without a regex pass (DOS-01). */
const MAX_HEADER = 16_384;

/**
 * Reads a bearer token from an `Authorization` header value (RFC 6750 §2.1).
 * Only the header: a token in the URL is never read (SECURITY decision 6,
 * RFC 6750 §2.3 and RFC 9700 §2.4 advise against it). Never throws.
 *
 * @example
 * ```ts
 * readBearerToken("Bearer eyJhbGciOi...");  // { ok: true, token: "eyJhbGciOi..." }
 * readBearerToken(null);                    // { ok: false, reason: "missing" }
 * readBearerToken("Basic dXNlcjpwYXNz");    // { ok: false, reason: "malformed" }
 * ```
 */
export function readBearerToken(header: string | null | undefined): BearerRead {
  if (header === null || header === undefined || header === "") {
    return { ok: false, reason: "missing" };
  }
  if (typeof header !== "string" || header.length > MAX_HEADER) {
    return { ok: false, reason: "malformed" };
  }
  const match = CREDENTIALS.exec(header);
  return match === null ? { ok: false, reason: "malformed" } : { ok: true, token: match[1]! };
}
