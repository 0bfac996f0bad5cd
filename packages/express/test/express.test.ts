import { createServer } from "node:http";
import { Readable } from "node:stream";
import { SessionError } from "@tessera/session";
import express5 from "express";
import express4 from "express4";
import { describe, expect, it } from "vitest";
import {
  ExpressSessionError,
  type RequestSession,
  sessionMiddleware,
  sessionOf,
} from "../src/index.js";
import {
  cookieOf,
  describeStartupChecks,
  expectLogoutClearsEveryChunk,
  FlakyStore,
  makeSessions,
  rawRequest,
  send,
  serversPerTest,
  thrownBy,
} from "./helpers.js";

const servers = serversPerTest();

function routes(app: express5.Express, late: { error?: unknown }) {
  app.get("/inc", (req, res) => {
    req.session.set("n", (req.session.get("n") ?? 0) + 1);
    res.json({ n: req.session.get("n"), rejected: req.session.rejected ?? null });
  });
  app.get("/read", (req, res) => {
    res.json({
      n: req.session.get("n") ?? null,
      user: req.session.userId ?? null,
      data: req.session.toJSON(),
    });
  });
  app.post("/login", async (req, res) => {
    await req.session.login("u_1");
    res.redirect("/read");
  });
  app.post("/logout", async (req, res) => {
    await req.session.logout();
    res.send("bye");
  });
  app.get("/theme", (req, res) => {
    req.session.set("n", 1);
    res.cookie("theme", "dark", { path: "/", expires: new Date("2015-10-21T07:28:00Z") });
    res.send("ok");
  });
  app.get("/big", (req, res) => {
    req.session.set("big", "x".repeat(3000)); // two chunks, within the default maxCookieSize
    res.send("ok");
  });
  app.get("/stream", (req, res) => {
    req.session.set("n", 7);
    res.type("text/plain");
    Readable.from(["a", "b", "c"]).pipe(res);
  });
  app.get("/write-head", (req, res) => {
    req.session.set("n", 8);
    res.writeHead(201, { "content-type": "text/plain", "set-cookie": "app=1; Path=/" });
    res.write("x");
    setTimeout(() => res.end("y"), 5);
  });
  app.get("/late", (req, res) => {
    res.end("done");
    try {
      req.session.set("n", 1);
    } catch (error) {
      late.error = error;
    }
  });
  app.post("/delete-account", (req, res) => {
    req.session.requireFresh(300);
    res.send("deleted");
  });
  app.get("/key/:k", (req, res) => {
    setTimeout(() => {
      req.session.set(`k_${req.params.k}`, true);
      res.send("ok");
    }, Number(req.params.k) % 5);
  });
}

async function start(
  express: typeof express5,
  sessions = makeSessions(),
): Promise<{ base: string; late: { error?: unknown } }> {
  const app = express();
  const late: { error?: unknown } = {};
  app.use(sessionMiddleware(sessions));
  routes(app, late);
  return { base: await servers.listen(createServer(app)), late };
}

describe.each([
  ["Express 5", express5],
  ["Express 4", express4],
])("%s", (_name, express) => {
  it("creates a session with a secure cookie, no-store and Vary: Cookie", async () => {
    const { base } = await start(express);
    const r = await send(base, "/inc");
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ n: 1, rejected: null });
    expect(r.setCookie).toHaveLength(1);
    expect(r.setCookie[0]).toMatch(
      /^__Host-sid=[A-Za-z0-9_.-]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.headers.vary).toMatch(/Cookie/);
  });

  it("reads and modifies the session across requests", async () => {
    const { base } = await start(express);
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const second = await send(base, "/inc", { cookie });
    expect(JSON.parse(second.body).n).toBe(2);
    expect(second.setCookie).toEqual([]);
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(2);
  });

  it("regenerates the id on login (redirect) and the old id is anonymous afterwards", async () => {
    const { base } = await start(express);
    const before = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const login = await send(base, "/login", { method: "POST", cookie: before });
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe("/read");
    const after = cookieOf(login, "__Host-sid")!;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(login.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse((await send(base, "/read", { cookie: after })).body)).toMatchObject({
      n: null,
      user: "u_1",
    });
    expect(JSON.parse((await send(base, "/read", { cookie: before })).body).user).toBeNull();
  });

  it("logout clears the cookie and the old cookie no longer works", async () => {
    const { base } = await start(express);
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const out = await send(base, "/logout", { method: "POST", cookie });
    expect(out.setCookie).toHaveLength(1);
    expect(out.setCookie[0]).toMatch(/^__Host-sid=; .*Max-Age=0/);
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBeNull();
  });

  it("logout of a chunked stateless session clears every chunk", async () => {
    const { base } = await start(express, makeSessions({ store: undefined }));
    await expectLogoutClearsEveryChunk(base);
  });

  it("keeps the app's Set-Cookie and the session's as two fields, never joined (a comma is part of Expires)", async () => {
    const { base } = await start(express);
    const r = await send(base, "/theme");
    expect(r.setCookie).toHaveLength(2);
    expect(r.setCookie[0]).toMatch(/^theme=dark; Path=\/; Expires=Wed, 21 Oct 2015 07:28:00 GMT/);
    expect(r.setCookie[1]).toMatch(/^__Host-sid=/);
  });

  it("finds the session across two Cookie header lines", async () => {
    const { base } = await start(express);
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const raw = await rawRequest(base, [
      "GET /read HTTP/1.1",
      "Host: 127.0.0.1",
      "Cookie: a=1",
      `Cookie: ${cookie}`,
      "Connection: close",
    ]);
    expect(raw).toMatch(/^HTTP\/1.1 200/);
    expect(raw).toContain('"n":1');
  });

  it("commits before a streamed body", async () => {
    const { base } = await start(express);
    const r = await send(base, "/stream");
    expect(r.body).toBe("abc");
    const cookie = cookieOf(r, "__Host-sid")!;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(7);
  });

  it("commits before an explicit writeHead, merging its Set-Cookie", async () => {
    const { base } = await start(express);
    const r = await send(base, "/write-head");
    expect(r.status).toBe(201);
    expect(r.body).toBe("xy");
    expect(r.setCookie[0]).toBe("app=1; Path=/");
    const cookie = cookieOf(r, "__Host-sid")!;
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(8);
  });

  it("rejects session changes after the commit began: they could reach neither the store nor the cookie", async () => {
    const { base, late } = await start(express);
    const r = await send(base, "/late");
    expect(r.body).toBe("done");
    expect(SessionError.isInstance(late.error)).toBe(true);
    expect((late.error as SessionError).code).toBe("ERR_SESSION_COMMITTED");
  });

  it("answers 503 without stack or sid when the store is down: nothing from the error reaches the client", async () => {
    const store = new FlakyStore();
    const { base } = await start(express, makeSessions({ store }));
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    store.down = true;
    for (const r of [await send(base, "/inc", { cookie }), await send(base, "/inc")]) {
      expect(r.status).toBe(503);
      expect(r.setCookie).toEqual([]);
      expect(r.body).not.toMatch(/\bat\s|\.ts:|\.js:|ECONNREFUSED|secret-host/);
      expect(r.body).not.toContain(cookie.split("=")[1]!.slice(0, 20));
      expect(r.headers["retry-after"]).toBe("5");
    }
  });

  it("answers 409, stores nothing and sends no cookie when every write loses the race", async () => {
    const store = new FlakyStore();
    const { base } = await start(express, makeSessions({ store, maxRetries: 1 }));
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    store.conflict = true;
    const r = await send(base, "/inc", { cookie });
    expect(r.status).toBe(409);
    expect(r.setCookie).toEqual([]);
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.body).not.toMatch(/\bat\s|\.ts:|\.js:/);
    store.conflict = false;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });

  it("hands next an ExpressSessionError ERR_EXPRESS_CONFLICT with the session's error as cause", async () => {
    const store = new FlakyStore();
    const seen: unknown[] = [];
    const app = express();
    app.use(sessionMiddleware(makeSessions({ store, maxRetries: 0 })));
    app.get("/", (req, res) => {
      const session = (req as unknown as { session: RequestSession }).session;
      session.set("n", (session.get("n") ?? 0) + 1);
      res.send(String(session.get("n")));
    });
    app.use((error: unknown, _req: express5.Request, res: express5.Response, _next: unknown) => {
      seen.push(error);
      res.status(418).end();
    });
    const base = await servers.listen(createServer(app));
    const cookie = cookieOf(await send(base, "/"), "__Host-sid")!;
    store.conflict = true;
    expect((await send(base, "/", { cookie })).status).toBe(418);
    const error = seen[0] as ExpressSessionError;
    expect(ExpressSessionError.isInstance(error)).toBe(true);
    expect([error.code, error.status, error.statusCode]).toEqual([
      "ERR_EXPRESS_CONFLICT",
      409,
      409,
    ]);
    expect((error.cause as SessionError).code).toBe("ERR_SESSION_CONFLICT");
  });

  // Regression: requireFresh's ERR_SESSION_REAUTH_REQUIRED reached Express's
  // default error handler without a status and answered 500.
  it("answers 401 with no-store when requireFresh refuses, even with the default error handler", async () => {
    const { base } = await start(express);
    const r = await send(base, "/delete-account", { method: "POST" });
    expect(r.status).toBe(401);
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(r.setCookie).toEqual([]);
  });

  it("an error handler can send step-up refusals to the login page", async () => {
    const app = express();
    app.use(sessionMiddleware(makeSessions()));
    routes(app, {});
    app.use(
      (
        error: unknown,
        req: express5.Request,
        res: express5.Response,
        next: (e: unknown) => void,
      ) => {
        if (SessionError.isInstance(error) && error.code === "ERR_SESSION_REAUTH_REQUIRED") {
          res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
          return;
        }
        next(error);
      },
    );
    const r = await send(await servers.listen(createServer(app)), "/delete-account", {
      method: "POST",
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe("/login?next=%2Fdelete-account");
  });

  it("loses nothing when concurrent requests change different keys of one session", async () => {
    const { base } = await start(express);
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const ids = Array.from({ length: 20 }, (_, i) => i);
    await Promise.all(ids.map((i) => send(base, `/key/${i}`, { cookie })));
    const data = JSON.parse((await send(base, "/read", { cookie })).body).data;
    for (const i of ids) expect(data[`k_${i}`]).toBe(true);
    expect(data.n).toBe(1);
  });
});

describe.each([
  ["Express 5", express5],
  ["Express 4", express4],
])("%s sub-app", (_name, express) => {
  // A mounted sub-app swaps the response's prototype for its own, which
  // inherits from the app's: the hooks on the app's prototype still apply.
  it("commits a session changed in a mounted sub-app's route", async () => {
    const app = express();
    app.use(sessionMiddleware(makeSessions()));
    const admin = express();
    admin.get("/inc", (req, res) => {
      req.session.set("n", (req.session.get("n") ?? 0) + 1);
      res.json({ n: req.session.get("n") });
    });
    app.use("/admin", admin);
    routes(app, {});
    const base = await servers.listen(createServer(app));
    const first = await send(base, "/admin/inc");
    expect(JSON.parse(first.body)).toEqual({ n: 1 });
    const cookie = cookieOf(first, "__Host-sid");
    expect(cookie).toBeDefined();
    expect(JSON.parse((await send(base, "/read", { cookie: cookie! })).body).n).toBe(1);
  });
});

describe("Connect-style servers (plain node:http)", () => {
  it("works without Express: res.end commits, errors reach next with status 503", async () => {
    const store = new FlakyStore();
    const middleware = sessionMiddleware(makeSessions({ store }));
    const server = createServer((req, res) => {
      middleware(req, res, (error?: unknown) => {
        if (error) {
          res.statusCode = (error as { status: number }).status;
          res.end("unavailable");
          return;
        }
        const session = (req as unknown as { session: RequestSession }).session;
        session.set("n", (session.get("n") ?? 0) + 1);
        res.end(String(session.get("n")));
      });
    });
    const base = await servers.listen(server);
    const first = await send(base, "/");
    const cookie = cookieOf(first, "__Host-sid")!;
    expect(first.body).toBe("1");
    expect((await send(base, "/", { cookie })).body).toBe("2");
    store.down = true;
    const down = await send(base, "/", { cookie });
    expect([down.status, down.body]).toEqual([503, "unavailable"]);
  });
});

describe("sessionOf", () => {
  it("returns req.session for the manager that loaded it, and refuses another manager", async () => {
    const sessions = makeSessions();
    const other = makeSessions();
    const app = express5();
    app.use(sessionMiddleware(sessions));
    app.get("/", (req, res) => {
      const refused = thrownBy(() => sessionOf(req, other));
      res.json({
        same: sessionOf(req, sessions) === req.session,
        code: ExpressSessionError.isInstance(refused) ? refused.code : refused,
      });
    });
    const r = await send(await servers.listen(createServer(app)), "/");
    expect(JSON.parse(r.body)).toEqual({ same: true, code: "ERR_EXPRESS_NO_SESSION" });
  });
});

describe("startup checks", () => {
  it("always issues Secure: the configuration offers no way to turn it off", async () => {
    const { base } = await start(
      express5,
      makeSessions({ store: undefined, cookie: { name: "sid" } }),
    );
    expect((await send(base, "/inc")).setCookie[0]).toMatch(/; Secure/);
  });
});

describeStartupChecks("ERR_EXPRESS_INVALID_OPTION", (sessions) => sessionMiddleware(sessions));

describe("req.session view", () => {
  it("can be passed back to the manager: revokeUser(userId, { except: req.session })", async () => {
    const sessions = makeSessions();
    const app = express5();
    app.use(sessionMiddleware(sessions));
    app.post("/login", async (req, res) => {
      await req.session.login("u_7");
      res.send("in");
    });
    app.post("/revoke-others", async (req, res) => {
      res.json({ revoked: await sessions.revokeUser("u_7", { except: req.session }) });
    });
    app.get("/who", (req, res) => {
      res.json({ user: req.session.userId ?? null });
    });
    const base = await servers.listen(createServer(app));
    const laptop = cookieOf(await send(base, "/login", { method: "POST" }), "__Host-sid")!;
    const phone = cookieOf(await send(base, "/login", { method: "POST" }), "__Host-sid")!;
    const r = await send(base, "/revoke-others", { method: "POST", cookie: phone });
    expect(JSON.parse(r.body)).toEqual({ revoked: 1 });
    expect(JSON.parse((await send(base, "/who", { cookie: laptop })).body).user).toBeNull();
    expect(JSON.parse((await send(base, "/who", { cookie: phone })).body).user).toBe("u_7");
  });

  it("is the manager's own session object (no wrapper in between)", async () => {
    const sessions = makeSessions();
    const load = sessions.load.bind(sessions);
    let loaded: unknown;
    sessions.load = async (...args) => {
      loaded = await load(...args);
      return loaded as Awaited<ReturnType<typeof load>>;
    };
    const app = express5();
    let seen: unknown;
    app.use(sessionMiddleware(sessions));
    app.get("/", (req, res) => {
      seen = req.session;
      res.send("ok");
    });
    await send(await servers.listen(createServer(app)), "/");
    expect(seen).toBeDefined();
    expect(seen).toBe(loaded);
  });
});
