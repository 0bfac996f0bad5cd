import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Handle, RequestEvent } from "@sveltejs/kit";
import type { AppSession } from "@tessera/test-kit";

/** A route of the test app: gets the request event (with `locals.session`), answers a Response. */
export type Route = (
  event: RequestEvent & { locals: { session: AppSession } },
) => Promise<Response>;

/**
 * The hook under test in front of a tiny router, as a `node:http` server
 * (not yet listening: `serversPerTest().listen` starts it): each request
 * becomes the `RequestEvent` SvelteKit would build (the fields the hook
 * reads) and `resolve` runs the matching route, as SvelteKit's own `resolve`
 * renders the page.
 */
export function serve(handle: Handle, routes: Record<string, Route>): Server {
  const listener = getRequestListener(async (request: Request) => {
    const url = new URL(request.url);
    const event = {
      request,
      url,
      locals: {},
      params: {},
      route: { id: url.pathname },
      getClientAddress: () => "127.0.0.1",
      isDataRequest: false,
      isSubRequest: false,
    } as unknown as RequestEvent;
    return handle({
      event,
      resolve: async (resolved) => {
        const route = routes[`${resolved.request.method} ${url.pathname}`];
        if (route === undefined) return new Response("not found", { status: 404 });
        return route(resolved as Parameters<Route>[0]);
      },
    });
  });
  return createServer(listener);
}

export * from "@tessera/test-kit";
