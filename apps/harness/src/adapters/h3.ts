import { createServer } from "node:http";
import { withSession } from "@tessera/h3";
import { appendResponseHeader, createApp, setResponseStatus, toNodeListener } from "h3";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, ROUTES, route } from "../lib/routes.js";

/** h3 1.x (Nuxt 4, Nitro 2) with `@tessera/h3`, on `node:http`. */
export function startH3(sessions: AppSessions): Promise<RunningApp> {
  const app = createApp();
  app.use(
    withSession(sessions, async (event) => {
      const path = event.path.split("?")[0];
      // h3 routes HEAD to no GET handler of its own, unlike Express and Hono.
      const method = event.method === "HEAD" ? "GET" : event.method;
      if (!ROUTES.some((r) => r.method === method && r.path === path)) {
        setResponseStatus(event, 404);
        return { error: "not found" };
      }
      const {
        status,
        body,
        headers = [],
      } = await route(sessions, event.context.session, event.method, event.path);
      for (const [name, value] of headers) appendResponseHeader(event, name, value);
      setResponseStatus(event, status);
      return body;
    }),
  );
  return listen(createServer(toNodeListener(app)));
}
