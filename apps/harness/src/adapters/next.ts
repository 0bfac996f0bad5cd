import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createNextSessions } from "@tessera/next";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, route, toResponse } from "../lib/routes.js";

/**
 * The request Next.js hands to the route after middleware answered
 * `NextResponse.next({ request: { headers } })`: the headers it lists in
 * `x-middleware-override-headers` replace the request's own.
 */
function forwarded(request: Request, proxied: Response): Request {
  const names = proxied.headers.get("x-middleware-override-headers");
  if (names === null) return request;
  const headers = new Headers();
  for (const name of names.split(",")) {
    const value = proxied.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  return new Request(request.url, { method: request.method, headers });
}

/**
 * The route's response with the middleware's headers, as `next start` sends
 * them: the middleware's `Set-Cookie` lines first, then the route's (the
 * order `apps/next-demo`'s browser test observes), internal headers dropped.
 */
function merged(proxied: Response, response: Response): Response {
  const out = new Response(response.body, response);
  const own = response.headers.getSetCookie();
  out.headers.delete("set-cookie");
  for (const line of [...proxied.headers.getSetCookie(), ...own]) {
    out.headers.append("set-cookie", line);
  }
  for (const [name, value] of proxied.headers) {
    if (name === "set-cookie" || name.startsWith("x-middleware-")) continue;
    if (!out.headers.has(name)) out.headers.set(name, value);
  }
  return out;
}

/**
 * `@tessera/next`: `proxy()` as the app's middleware in front of a Route
 * Handler wrapped by `route()`, with Next.js's middleware protocol applied
 * between them the way `next start` does (`apps/next-demo` runs the real one
 * in Chromium); `@hono/node-server`'s listener only bridges Node's `http`.
 */
export function startNext(sessions: AppSessions): Promise<RunningApp> {
  const next = createNextSessions(sessions);
  const handler = next.route(async (request, session) => {
    return toResponse(await route(sessions, session, request.method, request.url));
  });
  return listen(
    createServer(
      getRequestListener(async (request: Request) => {
        const proxied = await next.proxy(request);
        if (proxied.headers.get("x-middleware-next") !== "1") return proxied;
        return merged(proxied, await handler(forwarded(request, proxied)));
      }),
    ),
  );
}
