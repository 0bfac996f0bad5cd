import { createServer } from "node:http";
import * as kit from "@tessera/test-kit";
import Koa from "koa";
import { describe, expect, it } from "vitest";
import { KoaSessionError, sessionMiddleware, sessionOf } from "../src/index.js";

const servers = kit.serversPerTest();

/** The kit's scenario app over real HTTP on 127.0.0.1; `errors` collects what Koa's error event saw. */
async function start(sessions = kit.makeSessions()) {
  const late: kit.Late = {};
  const errors: unknown[] = [];
  const app = new Koa().use(sessionMiddleware(sessions));
  app.silent = true;
  app.on("error", (error) => errors.push(error));
  app.use(async (ctx) => {
    const s = ctx.session;
    const route = `${ctx.method} ${ctx.path}`;
    switch (route) {
      case "GET /typed":
        ctx.body = { n: sessionOf(ctx, sessions).get("n") ?? null };
        return;
      case "GET /raw":
        // Bypasses Koa's response: the session's cookie cannot be added any more.
        s.set("n", 5);
        ctx.respond = false;
        ctx.res.end("raw");
        return;
    }
    const body = await kit.scenarioRoute(route, s, late, {
      redirect: (location) => ctx.redirect(location),
      appendSetCookie: (line) => ctx.set("set-cookie", line),
    });
    // ctx.redirect set the body itself; assigning undefined would make it a 204.
    if (body !== undefined) ctx.body = body;
  });
  return { base: await servers.listen(createServer(app.callback())), late, errors };
}

kit.describeScenarios({
  name: "Koa",
  start,
  startLogin(sessions, options) {
    const app = new Koa().use(sessionMiddleware(sessions, options));
    app.use(async (ctx) => {
      await ctx.session.login("u_1");
      ctx.body = "ok";
    });
    return servers.listen(createServer(app.callback()));
  },
  routeErrorHandled(_reply, { errors }) {
    expect((errors[0] as Error).message).toBe("route bug");
  },
  invalidOption: "ERR_KOA_INVALID_OPTION",
  mount: (sessions) => sessionMiddleware(sessions),
});

describe("Koa 3 on node:http", () => {
  it("reports a cookie it could not send when the app bypassed Koa's response", async () => {
    const { base, errors } = await start();
    const r = await kit.send(base, "/raw");
    expect(r.body).toBe("raw");
    expect(r.setCookie).toEqual([]);
    await new Promise((r) => setTimeout(r, 10));
    expect(KoaSessionError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as KoaSessionError).code).toBe("ERR_KOA_HEADERS_SENT");
  });
});

describe("sessionOf", () => {
  it("refuses a context the middleware did not load with that manager", () => {
    const ctx = new Koa().createContext({ headers: {}, socket: {} } as never, {} as never);
    expect(() => sessionOf(ctx, kit.makeSessions())).toThrow(
      expect.objectContaining({ code: "ERR_KOA_NO_SESSION" }),
    );
  });
});

describe("startup checks", () => {
  it("refuses a meta option that is not a function", () => {
    expect(() => sessionMiddleware(kit.makeSessions(), { meta: "ip" as never })).toThrow(
      expect.objectContaining({ code: "ERR_KOA_INVALID_OPTION" }),
    );
  });
});
