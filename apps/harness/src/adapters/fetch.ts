import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { withSessions } from "@tessera/session";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, route, toResponse } from "../lib/routes.js";

/**
 * A plain Fetch handler wrapped by `withSessions` from `@tessera/session` (no
 * framework); `@hono/node-server`'s request listener only bridges Node's
 * http server to `Request`/`Response`.
 */
export function startFetch(sessions: AppSessions): Promise<RunningApp> {
  const handler = withSessions(sessions, async (request, session) => {
    return toResponse(await route(sessions, session, request.method, request.url));
  });
  return listen(createServer(getRequestListener((request: Request) => handler(request))));
}
