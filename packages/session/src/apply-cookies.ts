/**
 * Appends each `Set-Cookie` value as its own header field (never joined with
 * `, `, which corrupts `Expires` dates: AD-02, RFC 9110 §5.3) and, when any
 * session cookie is set, `Cache-Control: no-store` so no shared cache keeps a
 * response that carries one (AD-03). Returns the same response when its
 * headers are mutable, otherwise a copy with the new headers. `headers`
 * (from `sessions.commitHeaders`, e.g. `Clear-Site-Data`) are set as given.
 *
 * @example
 * ```ts
 * const response = applyCookies(new Response("ok"), await sessions.commit(session));
 * const { setCookie, headers } = await sessions.commitHeaders(session);
 * const same = applyCookies(new Response("bye"), setCookie, headers);
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
  const vary = headers.get("vary");
  if (vary === null) headers.set("vary", "Cookie");
  else if (!/(^|,)\s*(cookie|\*)\s*(,|$)/i.test(vary)) headers.set("vary", `${vary}, Cookie`);
}
