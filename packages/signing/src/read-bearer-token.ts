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

// RFC 9110 §11.4: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ],
// auth-scheme = token. A header that opens with another scheme carries no
// Bearer credentials, unless a second credential list joined by "," has one.
const OTHER_SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?: |$)/;
const BEARER_ANYWHERE = /(?:^|[\s,])bearer(?: |$)/i;

/** Longest header examined; longer ones are malformed without a regex pass, so a huge header costs no regex time. */
const MAX_HEADER = 16_384;

/**
 * Reads a bearer token from an `Authorization` header value (RFC 6750 §2.1):
 * the one grammar `@tessera/tokens` (`verifyRequest`) and `@tessera/session`
 * (`tokenMode: "authorization"`) both read the header with.
 * `missing`: no header, or one with another scheme (`Basic`, `Digest`, ...),
 * so no Bearer credentials; `malformed`: Bearer credentials that do not parse
 * (or a second credential joined to them).
 * Only the header: a token in the URL is never read (SECURITY decision 6,
 * RFC 6750 §2.3 and RFC 9700 §2.4 advise against it). Never throws.
 *
 * @example
 * ```ts
 * readBearerToken("Bearer eyJhbGciOi...");  // { ok: true, token: "eyJhbGciOi..." }
 * readBearerToken(null);                    // { ok: false, reason: "missing" }
 * readBearerToken("Basic dXNlcjpwYXNz");    // { ok: false, reason: "missing" } (another scheme)
 * readBearerToken("Bearer a b");            // { ok: false, reason: "malformed" }
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
  if (match !== null) return { ok: true, token: match[1]! };
  // Basic, Digest, DPoP, ...: the request lacks Bearer authentication, which
  // RFC 6750 §3.1 answers with a bare challenge (401, no error code), not 400.
  if (OTHER_SCHEME.test(header) && !BEARER_ANYWHERE.test(header)) {
    return { ok: false, reason: "missing" };
  }
  return { ok: false, reason: "malformed" };
}
