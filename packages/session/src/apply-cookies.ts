/**
 * Appends each `Set-Cookie` value as its own header field (never joined with
 * `, `, which corrupts `Expires` dates: AD-02, RFC 9110 §5.3) and, when any
 * session cookie is set, `Cache-Control: no-store` so no shared cache keeps a
 * response that carries one (AD-03). Returns the same response when its
 * headers are mutable, otherwise a copy with the new headers.
 *
 * @example
 * ```ts
 * const response = applyCookies(new Response("ok"), await sessions.commit(session));
 * ```
 */
export function applyCookies(response: Response, setCookies: readonly string[]): Response {
  if (setCookies.length === 0) return response;
  let target = response;
  try {
    write(target.headers, setCookies);
  } catch {
    // Responses from fetch() or Response.redirect() have immutable headers.
    target = new Response(response.body, response);
    write(target.headers, setCookies);
  }
  return target;
}

function write(headers: Headers, setCookies: readonly string[]): void {
  for (const value of setCookies) headers.append("set-cookie", value);
  headers.set("cache-control", "no-store");
  const vary = headers.get("vary");
  if (vary === null) headers.set("vary", "Cookie");
  else if (!/(^|,)\s*(cookie|\*)\s*(,|$)/i.test(vary)) headers.set("vary", `${vary}, Cookie`);
}
