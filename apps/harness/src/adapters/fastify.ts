import { fastifySessions } from "@tessera/fastify";
import Fastify from "fastify";
import type { RunningApp } from "../lib/listen.js";
import { type AppSession, type AppSessions, ROUTES, route } from "../lib/routes.js";

/** Fastify 5 with `@tessera/fastify`. */
export async function startFastify(sessions: AppSessions): Promise<RunningApp> {
  const app = Fastify();
  await app.register(fastifySessions, { sessions: sessions as never });
  for (const { method, path } of ROUTES) {
    app.route({
      method,
      url: path,
      handler: async (request, reply) => {
        const session = request.session as unknown as AppSession;
        const answer = await route(sessions, session, request.method, request.url);
        for (const [name, value] of answer.headers ?? []) reply.header(name, value);
        reply.code(answer.status);
        return answer.body;
      },
    });
  }
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("fastify: no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
