import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Handle, RequestEvent } from "@sveltejs/kit";
import { createSessions, type SessionsOptions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
import { FlakyStore as KitFlakyStore, listen } from "../../../scripts/http-test-kit.js";

export interface AppData {
  n: number;
  [key: string]: unknown;
}

export const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);

export function makeSessions(options: Partial<SessionsOptions> = {}) {
  return createSessions<AppData, { notice: string }>({
    keys,
    store: new MemoryStore(),
    ...options,
  } as SessionsOptions);
}

export type AppSessions = ReturnType<typeof makeSessions>;
export type AppSession = Awaited<ReturnType<AppSessions["load"]>>;

/** MemoryStore behind the kit's `down` and `conflict` switches. */
export class FlakyStore extends KitFlakyStore<MemoryStore> {
  constructor() {
    super(new MemoryStore(), () => new StoreUnavailableError("connect ECONNREFUSED 10.1.2.3:6379"));
  }
}

/** A route of the test app: gets the request event (with `locals.session`), answers a Response. */
export type Route = (
  event: RequestEvent & { locals: { session: AppSession } },
) => Promise<Response>;

/**
 * The hook under test in front of a tiny router, served over real HTTP: each
 * request becomes the `RequestEvent` SvelteKit would build (the fields the
 * hook reads) and `resolve` runs the matching route, as SvelteKit's own
 * `resolve` renders the page.
 */
export async function serve(
  handle: Handle,
  routes: Record<string, Route>,
): Promise<{ server: Server; base: string }> {
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
  const server = createServer(listener);
  return { server, base: await listen(server) };
}

export { close, cookieOf, listen, send } from "../../../scripts/http-test-kit.js";
