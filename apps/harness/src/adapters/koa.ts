import { createServer } from "node:http";
import { sessionMiddleware } from "@tessera/koa";
import Koa from "koa";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, ROUTES, route } from "../lib/routes.js";

/** Koa 3 with `@tessera/koa`, on `node:http`. */
export function startKoa(sessions: AppSessions): Promise<RunningApp> {
  const app = new Koa().use(sessionMiddleware(sessions));
  app.silent = true;
  app.use(async (ctx) => {
    // Koa routes HEAD to no GET handler of its own, unlike Express and Hono.
    const method = ctx.method === "HEAD" ? "GET" : ctx.method;
    if (!ROUTES.some((r) => r.method === method && r.path === ctx.path)) return;
    const {
      status,
      body,
      headers = [],
    } = await route(sessions, ctx.session, ctx.method, ctx.originalUrl);
    for (const [name, value] of headers) ctx.append(name, value);
    ctx.status = status;
    ctx.body = body;
  });
  return listen(createServer(app.callback()));
}
