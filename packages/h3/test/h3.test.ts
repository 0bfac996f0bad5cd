import { createServer } from "node:http";
import { Readable } from "node:stream";
import * as kit from "@tessera/test-kit";
import {
  appendResponseHeader,
  createApp,
  createError,
  type H3Event,
  sendRedirect,
  sendStream,
  toNodeListener,
  toWebHandler,
} from "h3";
import { describe, expect, it } from "vitest";
import { sessionOf, withSession } from "../src/index.js";

const servers = kit.serversPerTest();

function serve(app: ReturnType<typeof createApp>): Promise<string> {
  return servers.listen(createServer(toNodeListener(app)));
}

/** The kit's scenario app, plus h3's own response kinds, over real HTTP on 127.0.0.1. */
async function start(sessions = kit.makeSessions()) {
  const late: kit.Late = {};
  const app = createApp();
  app.use(
    withSession(sessions, async (event) => {
      const s = event.context.session;
      const route = `${event.method} ${event.path.split("?")[0]}`;
      switch (route) {
        case "GET /typed":
          return { n: sessionOf(event as H3Event, sessions).get("n") ?? null };
        case "GET /fetch-redirect":
          s.set("n", 3);
          return Response.redirect("https://example.test/", 302);
        case "GET /stream":
          s.set("n", 7);
          return sendStream(event, Readable.from(["a", "b", "c"]));
      }
      // sendRedirect writes the response inside the handler.
      return kit.scenarioRoute(route, s, late, {
        redirect: (location) => sendRedirect(event, location, 302),
        appendSetCookie: (line) => appendResponseHeader(event, "set-cookie", line),
        bug: (message) => createError({ statusCode: 500, message }),
      });
    }),
  );
  return { base: await serve(app), late };
}

kit.describeScenarios({
  name: "h3",
  start,
  startLogin(sessions, options) {
    const app = createApp();
    app.use(
      withSession(
        sessions,
        async (event) => {
          await event.context.session.login("u_1");
          return "ok";
        },
        options,
      ),
    );
    return serve(app);
  },
  routeErrorHandled(reply) {
    expect(reply.body).not.toContain("route bug");
  },
  invalidOption: "ERR_H3_INVALID_OPTION",
  mount: (sessions) => withSession(sessions, () => "ok"),
});

describe("h3 1.x on node:http", () => {
  // A returned Response (immutable headers), and a stream h3 pipes itself.
  it.each([
    ["/fetch-redirect", 302, 3],
    ["/stream", 200, 7],
  ] as const)("adds the cookie before h3 sends %s", async (path, status, n) => {
    const { base } = await start();
    const r = await kit.send(base, path);
    expect([r.status, r.headers["cache-control"]]).toEqual([status, "no-store"]);
    if (path === "/stream") expect(r.body).toBe("abc");
    const cookie = kit.cookieOf(r, "__Host-sid")!;
    expect(JSON.parse((await kit.send(base, "/read", { cookie })).body).n).toBe(n);
  });

  it("answers 503 when the store fails during a commit the handler's sendRedirect started", async () => {
    const store = new kit.FlakyStore();
    const sessions = kit.makeSessions({ store });
    const app = createApp();
    app.use(
      withSession(sessions, async (event) => {
        event.context.session.set("n", 1);
        store.down = true;
        return sendRedirect(event, "/next");
      }),
    );
    const r = await kit.send(await serve(app), "/");
    expect(r.status).toBe(503);
    expect(r.headers.location).toBeUndefined();
    expect(r.setCookie).toEqual([]);
    expect(r.body).toBe("Service Unavailable");
  });
});

describe("h3's Web handler (Nitro's Web presets)", () => {
  it("sets the cookie on a returned value and before sendRedirect's headers", async () => {
    const sessions = kit.makeSessions();
    const app = createApp()
      .use(
        "/inc",
        withSession(sessions, (event) => {
          event.context.session.set("n", 1);
          return { n: 1 };
        }),
      )
      .use(
        "/login",
        withSession(sessions, async (event) => {
          await event.context.session.login("u_1");
          return sendRedirect(event, "/read");
        }),
      );
    const handler = toWebHandler(app);
    const inc = await handler(new Request("https://example.test/inc"));
    expect(await inc.json()).toEqual({ n: 1 });
    expect(inc.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sid=/)]);
    expect(inc.headers.get("vary")).toBe("Cookie");
    const login = await handler(new Request("https://example.test/login", { method: "POST" }));
    expect(login.status).toBe(302);
    expect(login.headers.getSetCookie()).toEqual([expect.stringMatching(/^__Host-sid=/)]);
  });
});

describe("sessionOf", () => {
  it("refuses an event the wrapper did not load with that manager", () => {
    const event = { context: {} } as H3Event;
    expect(() => sessionOf(event, kit.makeSessions())).toThrow(
      expect.objectContaining({ code: "ERR_H3_NO_SESSION" }),
    );
  });
});

describe("startup checks", () => {
  it("refuses a handler or a meta option that is not a function", () => {
    expect(() => withSession(kit.makeSessions(), "ok" as never)).toThrow(
      expect.objectContaining({ code: "ERR_H3_INVALID_OPTION" }),
    );
    expect(() => withSession(kit.makeSessions(), () => "ok", { meta: "ip" as never })).toThrow(
      expect.objectContaining({ code: "ERR_H3_INVALID_OPTION" }),
    );
  });
});
