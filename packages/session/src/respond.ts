import type { CommitResult, Sessions } from "./create-sessions.js";
import type { Session } from "./session.js";

/**
 * What an adapter knows about the response it is about to send: the
 * request's method, the response status, and any `Vary` value the app
 * already set (in whatever shape its framework keeps headers).
 *
 * @example
 * ```ts
 * const facts: ResponseFacts = { method: "GET", status: 200, vary: "Accept" };
 * ```
 */
export interface ResponseFacts {
  /** The request method, any case. */
  method: string;
  /** The status the response will be sent with. */
  status: number;
  /** The response's `Vary` header so far, if any (Node keeps arrays and numbers too). */
  vary?: string | readonly string[] | number | null | undefined;
}

/**
 * The headers one response must carry for its session. An adapter only
 * writes them: each `setCookie` value as its own `Set-Cookie` field (never
 * joined with `", "`, which corrupts `Expires` dates, RFC 9110 §5.3), and
 * every entry of `headers` set as given, replacing what was there.
 *
 * @example
 * ```ts
 * const out = await respond(sessions, session, { method: "GET", status: 200 });
 * for (const value of out.setCookie) response.headers.append("set-cookie", value);
 * for (const [name, value] of Object.entries(out.headers)) response.headers.set(name, value);
 * ```
 */
export interface SessionResponse {
  /** `Set-Cookie` values, one header field each; empty when nothing changed. */
  setCookie: readonly string[];
  /**
   * Headers to set: `cache-control: no-store` and a `vary` that names
   * `Cookie` whenever the response carries a cookie or a bearer token, plus
   * what the session asked for (e.g. `clear-site-data` after a logout).
   */
  headers: Readonly<Record<string, string>>;
  /** `tokenMode: "authorization"` only: the token this commit issued, for the response body. */
  token?: string;
  /** `false` when the response may not record a session write (see {@link commitsOn}); nothing was stored. */
  committed: boolean;
}

const SKIPPED: SessionResponse = Object.freeze({
  setCookie: Object.freeze([]) as readonly string[],
  headers: Object.freeze({}),
  committed: false,
});

/**
 * Whether a response may carry the session's writes. `HEAD` and `OPTIONS`
 * show the user no page, and a `304` reuses a page the browser already has,
 * so nothing the handler changed was seen: storing it (or rotating the
 * cookie) would record a visit that did not happen. A `5xx` means the
 * handler failed part-way (most often it threw): its changes are dropped like
 * a failed transaction's, so a half-done login or checkout never sticks
 * (Django's session middleware draws the same line). A `4xx` still commits:
 * a refused form may set a flash message on purpose. Every adapter asks this
 * one function, so they agree.
 *
 * @example
 * ```ts
 * commitsOn("HEAD", 200); // false
 * commitsOn("GET", 304); // false
 * commitsOn("POST", 500); // false
 * commitsOn("POST", 303); // true
 * ```
 */
export function commitsOn(method: string, status: number): boolean {
  if (status === 304 || status >= 500) return false;
  const m = method.toUpperCase();
  return m !== "HEAD" && m !== "OPTIONS";
}

/**
 * `vary` with `Cookie` added once: a response that depends on the cookie
 * must not be served from a cache to a client with another one
 * (RFC 9110 §12.5.5). `*` already covers it.
 *
 * @example
 * ```ts
 * varyWithCookie("Accept"); // "Accept, Cookie"
 * varyWithCookie(undefined); // "Cookie"
 * ```
 */
export function varyWithCookie(vary: ResponseFacts["vary"]): string {
  if (vary === undefined || vary === null || vary === "") return "Cookie";
  const text = typeof vary === "object" ? vary.join(", ") : String(vary);
  if (text === "") return "Cookie";
  return /(^|,)\s*(cookie|\*)\s*(,|$)/i.test(text) ? text : `${text}, Cookie`;
}

/**
 * The response headers for a finished commit: cookies and tokens are never
 * kept by a shared cache (`Cache-Control: no-store`, RFC 9111 §5.2.2.5, and
 * RFC 6749 §5.1 for tokens), and a response that sets a cookie varies by
 * `Cookie`. A commit that changed nothing adds only what the session asked for.
 *
 * @example
 * ```ts
 * const out = responseHeaders(await sessions.commitHeaders(session), "Accept");
 * ```
 */
export function responseHeaders(
  result: CommitResult,
  vary?: ResponseFacts["vary"],
): SessionResponse {
  const cookies = result.setCookie.length > 0;
  const token = result.token;
  if (!cookies && token === undefined) {
    return { setCookie: result.setCookie, headers: result.headers, committed: true };
  }
  const headers: Record<string, string> = { ...result.headers, "cache-control": "no-store" };
  if (cookies) headers.vary = varyWithCookie(vary);
  return {
    setCookie: result.setCookie,
    headers,
    ...(token === undefined ? {} : { token }),
    committed: true,
  };
}

/**
 * The one HTTP policy every adapter follows at the end of a request: on
 * `HEAD`, `OPTIONS`, `304` and any `5xx` nothing is committed (see {@link commitsOn});
 * otherwise the session is committed and the headers to send come back
 * (see {@link responseHeaders}). Rejects as `commitHeaders` does, e.g. with
 * a store outage; pass the error to {@link httpFailure}.
 *
 * @example
 * ```ts
 * const out = await respond(sessions, session, { method: request.method, status: response.status });
 * ```
 */
export async function respond<Data extends object, Flash extends object>(
  sessions: Sessions<Data, Flash>,
  session: Session<Data, Flash>,
  facts: ResponseFacts,
): Promise<SessionResponse> {
  if (!commitsOn(facts.method, facts.status)) return SKIPPED;
  return responseHeaders(await sessions.commitHeaders(session), facts.vary);
}
