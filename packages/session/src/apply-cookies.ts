import { varyWithCookie } from "./respond.js";

/**
 * Writes a session's response headers onto a Fetch `Response`: each
 * `Set-Cookie` value as its own header field (never joined with `, `, which
 * corrupts `Expires` dates, RFC 9110 §5.3), and every entry of `headers` set
 * as given. Pass it what {@link respond} returns, which already carries
 * `Cache-Control: no-store` and `Vary: Cookie` when a cookie is set; given
 * cookies straight from `sessions.commit` (or only headers, such as
 * `Clear-Site-Data`), it adds those two itself. Returns
 * the same response when its headers are mutable, otherwise a copy.
 *
 * @example
 * ```ts
 * const out = await respond(sessions, session, { method: request.method, status: 200 });
 * const response = applyCookies(new Response("ok"), out.setCookie, out.headers);
 * const same = applyCookies(new Response("bye"), await sessions.commit(session));
 * ```
 */
export function applyCookies(
  response: Response,
  setCookies: readonly string[],
  headers: Readonly<Record<string, string>> = {},
): Response {
  const extra = Object.entries(headers);
  if (setCookies.length === 0 && extra.length === 0) return response;
  let target = response;
  try {
    write(target.headers, setCookies, extra);
  } catch {
    // Responses from fetch() or Response.redirect() have immutable headers.
    target = new Response(response.body, response);
    write(target.headers, setCookies, extra);
  }
  return target;
}

function write(
  headers: Headers,
  setCookies: readonly string[],
  extra: ReadonlyArray<[string, string]>,
): void {
  for (const [name, value] of extra) headers.set(name, value);
  for (const value of setCookies) headers.append("set-cookie", value);
  headers.set("cache-control", "no-store");
  // Only a response that sets a cookie varies by it; a bearer token or a
  // lone Clear-Site-Data does not (the same rule as responseHeaders).
  if (setCookies.length > 0) headers.set("vary", varyWithCookie(headers.get("vary")));
}
