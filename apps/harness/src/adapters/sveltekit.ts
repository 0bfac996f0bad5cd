import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { RequestEvent } from "@sveltejs/kit";
import { sessionHandle } from "@tessera/sveltekit";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSession, type AppSessions, ROUTES, route, toResponse } from "../lib/routes.js";

/**
 * `sessionHandle` from `@tessera/sveltekit` as SvelteKit calls it: each
 * request becomes a `RequestEvent` (the fields the hook reads) and `resolve`
 * runs the scenario route with `locals.session`, as a `+server.ts` would.
 */
export function startSvelteKit(sessions: AppSessions): Promise<RunningApp> {
  const handle = sessionHandle(sessions);
  const known = new Set(ROUTES.map(({ method, path }) => `${method} ${path}`));
  const listener = getRequestListener(async (request: Request) => {
    const url = new URL(request.url);
    const event = {
      request,
      url,
      locals: {},
      params: {},
      route: { id: url.pathname },
      getClientAddress: () => "127.0.0.1",
    } as unknown as RequestEvent;
    return handle({
      event,
      resolve: async (resolved) => {
        // SvelteKit answers HEAD from a `+server.ts` GET handler.
        const method = request.method === "HEAD" ? "GET" : request.method;
        if (!known.has(`${method} ${url.pathname}`)) {
          return Response.json({ error: "no route" }, { status: 404 });
        }
        const { session } = resolved.locals as { session: AppSession };
        return toResponse(await route(sessions, session, request.method, request.url));
      },
    });
  });
  return listen(createServer(listener));
}
