import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { SessionError } from "@tessera/session";
import {
  type AppData,
  type AppFlash,
  type AppSessions,
  cookieOf,
  describeStartupChecks,
  expectLogoutClearsEveryChunk,
  FlakyStore,
  makeSessions,
  type Send,
  send,
  serversPerTest,
} from "@tessera/test-kit";
import { Hono } from "hono";
import { stream } from "hono/streaming";
import { describe, expect, it } from "vitest";
import { type SessionVariables, sessionMiddleware } from "../src/index.js";

type Env = { Variables: SessionVariables<AppData, AppFlash> };

function makeApp(sessions: AppSessions = makeSessions()) {
  const app = new Hono<Env>();
  const late: { error?: unknown } = {};
  app.use("*", sessionMiddleware(sessions));
  app.get("/inc", (c) => {
    const s = c.get("session");
    s.set("n", (s.get("n") ?? 0) + 1);
    return c.json({ n: s.get("n"), rejected: s.rejected ?? null });
  });
  app.get("/read", (c) => {
    const s = c.get("session");
    return c.json({ n: s.get("n") ?? null, user: s.userId ?? null, data: s.toJSON() });
  });
  app.post("/login", async (c) => {
    await c.get("session").login("u_1");
    return c.redirect("/read");
  });
  app.get("/fetch-redirect", (c) => {
    c.get("session").set("n", 3);
    return Response.redirect("https://example.test/", 302);
  });
  app.post("/logout", async (c) => {
    await c.get("session").logout();
    return c.text("bye");
  });
  app.get("/big", (c) => {
    c.get("session").set("big", "x".repeat(3000)); // two chunks, within the default maxCookieSize
    return c.text("ok");
  });
  app.get("/stream", (c) => {
    c.get("session").set("n", 7);
    return stream(c, async (s) => {
      for (const part of ["a", "b", "c"]) await s.write(part);
    });
  });
  app.get("/late", async (c) => {
    const s = c.get("session");
    setTimeout(() => {
      try {
        s.set("n", 1);
      } catch (error) {
        late.error = error;
      }
    }, 0);
    return c.text("done");
  });
  app.post("/delete-account", (c) => {
    c.get("session").requireFresh(300);
    return c.text("deleted");
  });
  return { app, late };
}

const servers = serversPerTest();

/** Wraps app.request() (Web runtime) in the same reply shape as the HTTP helper. */
function webSend(app: Hono<Env>) {
  return async (
    _base: string,
    path: string,
    init: { method?: string; cookie?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await app.request(`http://localhost${path}`, {
      method: init.method ?? "GET",
      headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers },
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      if (k !== "set-cookie") headers[k] = v;
    });
    return {
      status: response.status,
      headers: headers as Record<string, string | string[] | undefined>,
      setCookie: response.headers.getSetCookie(),
      body: await response.text(),
    };
  };
}

type Runtime = (sessions?: AppSessions) => Promise<{
  base: string;
  send: Send;
  late: { error?: unknown };
}>;

const runtimes: Array<[string, Runtime]> = [
  [
    "Node (@hono/node-server)",
    async (sessions) => {
      const { app, late } = makeApp(sessions);
      // @hono/node-server's server, which its `serve` listens with.
      const base = await servers.listen(createAdaptorServer({ fetch: app.fetch }) as Server);
      return { base, send, late };
    },
  ],
  [
    "Web (app.request)",
    async (sessions) => {
      const { app, late } = makeApp(sessions);
      return { base: "", send: webSend(app) as unknown as Send, late };
    },
  ],
];

describe.each(runtimes)("%s", (_name, start) => {
  it("adds cookies to a response with immutable headers (Response.redirect)", async () => {
    const { base, send } = await start();
    const r = await send(base, "/fetch-redirect");
    expect(r.status).toBe(302);
    expect(cookieOf(r, "__Host-sid")).toBeDefined();
  });

  it("logout of a chunked stateless session clears every chunk", async () => {
    const { base, send } = await start(makeSessions({ store: undefined }));
    await expectLogoutClearsEveryChunk(base, send);
  });

  it("commits before a streamed body", async () => {
    const { base, send } = await start();
    const r = await send(base, "/stream");
    expect(r.body).toBe("abc");
    const cookie = cookieOf(r, "__Host-sid")!;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(7);
  });

  it("rejects session changes after the commit began: they could reach neither the store nor the cookie", async () => {
    const { base, send, late } = await start();
    expect((await send(base, "/late")).body).toBe("done");
    await new Promise((r) => setTimeout(r, 10));
    expect(SessionError.isInstance(late.error)).toBe(true);
    expect((late.error as SessionError).code).toBe("ERR_SESSION_COMMITTED");
  });

  it("answers 409 and stores nothing when every write loses the race", async () => {
    const store = new FlakyStore();
    const { base, send } = await start(makeSessions({ store, maxRetries: 1 }));
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    store.conflict = true;
    const r = await send(base, "/inc", { cookie });
    expect(r.status).toBe(409);
    expect(r.setCookie).toEqual([]);
    expect(r.body).toBe("Conflict");
    expect(r.headers["cache-control"]).toBe("no-store");
    store.conflict = false;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });
});

describe("re-authentication pattern", () => {
  it("an onError that redirects step-up refusals to the login page keeps its redirect", async () => {
    const { app } = makeApp();
    app.onError((error, c) => {
      if (SessionError.isInstance(error) && error.code === "ERR_SESSION_REAUTH_REQUIRED") {
        return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
      }
      return c.text("Internal Server Error", 500);
    });
    const r = await app.request("http://localhost/delete-account", { method: "POST" });
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("/login?next=%2Fdelete-account");
  });
});

describeStartupChecks("ERR_HONO_INVALID_OPTION", (sessions) => sessionMiddleware(sessions));
