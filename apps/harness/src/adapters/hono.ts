import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { type SessionVariables, sessionMiddleware } from "@tessera/hono";
import { Hono } from "hono";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, type Data, ROUTES, route, toResponse } from "../lib/routes.js";

/** Hono 4 with `@tessera/hono`, served on Node by `@hono/node-server`. */
export function startHono(sessions: AppSessions): Promise<RunningApp> {
  const app = new Hono<{ Variables: SessionVariables<Data, Data> }>();
  app.use("*", sessionMiddleware(sessions));
  for (const { method, path } of ROUTES) {
    app.on(method, path, async (c) => {
      return toResponse(await route(sessions, c.get("session"), c.req.method, c.req.url));
    });
  }
  return listen(createServer(getRequestListener(app.fetch)));
}
