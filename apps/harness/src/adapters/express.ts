import { createServer } from "node:http";
import { sessionMiddleware } from "@tessera/express";
import express from "express";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSession, type AppSessions, ROUTES, route } from "../lib/routes.js";

/** Express 5 with `@tessera/express`; outages reach Express's own error handler (status 503). */
export function startExpress(sessions: AppSessions): Promise<RunningApp> {
  const app = express();
  app.use(sessionMiddleware(sessions));
  for (const { method, path } of ROUTES) {
    const register = { GET: app.get, POST: app.post, OPTIONS: app.options }[method].bind(app);
    register(path, (req, res, next) => {
      route(sessions, req.session as unknown as AppSession, req.method, req.originalUrl).then(
        ({ status, body, headers = [] }) => {
          for (const [name, value] of headers) res.append(name, value);
          res.status(status).json(body);
        },
        next,
      );
    });
  }
  return listen(createServer(app));
}
