import { createServer, type Server } from "node:http";
import {
  createSessions,
  type Session,
  type SessionData,
  type Sessions,
  type SessionsOptions,
} from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { close, cookieOf, FlakyStore, listen, send } from "../../../scripts/http-test-kit.js";
import { KoaSessionError, sessionMiddleware, sessionOf } from "../src/index.js";

type AppData = { n: number; [key: string]: unknown };
const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const makeSessions = (options: Partial<SessionsOptions> = {}) =>
  createSessions<AppData, SessionData>({
    keys,
    store: new MemoryStore(),
    ...options,
  } as SessionsOptions);
// Down, it fails as an unreachable Redis would, naming a host that no reply may show.
const flakyStore = () =>
  new FlakyStore(
    new MemoryStore(),
    () => new StoreUnavailableError("connect ECONNREFUSED (redis://secret-host)"),
  );

type AppSessions = Sessions<AppData, SessionData>;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

/** The test app over real HTTP on 127.0.0.1; `errors` collects what Koa's error event saw. */
async function start(sessions: AppSessions = makeSessions() as never) {
  const late: { session?: Session<AppData, SessionData> } = {};
  const errors: unknown[] = [];
  const app = new Koa().use(sessionMiddleware(sessions));
  app.silent = true;
  app.on("error", (error) => errors.push(error));
  app.use(async (ctx) => {
    const s = ctx.session;
    switch (`${ctx.method} ${ctx.path}`) {
      case "GET /inc":
      case "HEAD /inc":
      case "OPTIONS /inc":
        s.set("n", (s.get("n") ?? 0) + 1);
        ctx.body = { n: s.get("n"), rejected: s.rejected ?? null };
        return;
      case "GET /read":
        ctx.body = { n: s.get("n") ?? null, user: s.userId ?? null, data: s.toJSON() };
        return;
      case "GET /typed":
        ctx.body = { n: sessionOf(ctx, sessions).get("n") ?? null };
        return;
      case "POST /login":
        await s.login("u_1");
        ctx.redirect("/read");
        return;
      case "POST /logout":
        await s.logout();
        ctx.body = "bye";
        return;
      case "GET /late":
        late.session = s; // kept past the response
        ctx.body = "done";
        return;
      case "GET /raw":
        // Bypasses Koa's response: the session's cookie cannot be added any more.
        s.set("n", 5);
        ctx.respond = false;
        ctx.res.end("raw");
        return;
      case "POST /delete-account":
        ctx.set("set-cookie", "theme=dark; Path=/");
        s.requireFresh(300);
        ctx.body = "deleted";
        return;
      case "GET /boom":
        s.set("n", 99);
        throw new Error("route bug");
    }
  });
  const server = createServer(app.callback());
  servers.push(server);
  return { base: await listen(server), late, errors };
}

describe("Koa 3 on node:http", () => {
  it("counts visits, rotates the cookie on login and clears it on logout", async () => {
    const { base } = await start(makeSessions({ clearSiteDataOnLogout: true }) as never);
    const first = await send(base, "/inc");
    expect(JSON.parse(first.body)).toEqual({ n: 1, rejected: null });
    expect(first.setCookie).toEqual([
      expect.stringMatching(/^__Host-sid=[\w.-]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/),
    ]);
    expect([first.headers["cache-control"], first.headers.vary]).toEqual(["no-store", "Cookie"]);
    const anonymous = cookieOf(first, "__Host-sid")!;
    const second = await send(base, "/inc", { cookie: anonymous });
    expect([JSON.parse(second.body).n, second.setCookie]).toEqual([2, []]);
    expect(JSON.parse((await send(base, "/typed", { cookie: anonymous })).body).n).toBe(2);

    const login = await send(base, "/login", { method: "POST", cookie: anonymous });
    const user = cookieOf(login, "__Host-sid")!;
    expect([login.status, user === anonymous]).toEqual([302, false]);
    const read = async (cookie: string) => JSON.parse((await send(base, "/read", { cookie })).body);
    expect((await read(user)).user).toBe("u_1");
    expect((await read(anonymous)).user).toBeNull();

    const out = await send(base, "/logout", { method: "POST", cookie: user });
    expect(out.setCookie).toEqual([expect.stringMatching(/^__Host-sid=; .*Max-Age=0/)]);
    expect(out.headers["clear-site-data"]).toBeDefined();
    expect((await read(user)).user).toBeNull();
  });

  it("stops session changes once the commit began", async () => {
    const { base, late } = await start();
    await send(base, "/late");
    expect(() => late.session?.set("n", 2)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_COMMITTED" }),
    );
  });

  // Each answers with httpFailure's status and headers, a plain-text body and
  // none of the route's cookies, and stores nothing.
  it.each([
    ["the store is down at load", "GET", "/inc", "down", 503, "Service Unavailable"],
    ["every write loses the race", "GET", "/inc", "conflict", 409, "Conflict"],
    ["requireFresh refuses a step-up", "POST", "/delete-account", "", 401, "Unauthorized"],
  ] as const)("answers when %s", async (_, method, path, breakage, status, text) => {
    const store = flakyStore();
    const { base } = await start(makeSessions({ store, maxRetries: 1 }) as never);
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    if (breakage !== "") store[breakage] = true;
    const r = await send(base, path, { method, cookie });
    expect([r.status, r.body, r.setCookie, r.headers["cache-control"]]).toEqual([
      status,
      text,
      [],
      "no-store",
    ]);
    if (status === 503) expect(r.headers["retry-after"]).toBe("5");
    store.down = store.conflict = false;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });

  it("leaves other route errors to Koa, and stores none of the failed route's changes", async () => {
    const { base, errors } = await start();
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const r = await send(base, "/boom", { cookie });
    expect([r.status, r.setCookie]).toEqual([500, []]);
    expect((errors[0] as Error).message).toBe("route bug");
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });

  it("reports a cookie it could not send when the app bypassed Koa's response", async () => {
    const { base, errors } = await start();
    const r = await send(base, "/raw");
    expect(r.body).toBe("raw");
    expect(r.setCookie).toEqual([]);
    await new Promise((r) => setTimeout(r, 10));
    expect(KoaSessionError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as KoaSessionError).code).toBe("ERR_KOA_HEADERS_SENT");
  });
});

describe("load meta", () => {
  it("records the User-Agent and Koa's ctx.ip, or what the meta option returns", async () => {
    for (const [options, ip] of [
      [{}, /127\.0\.0\.1$/],
      [{ meta: () => ({ ip: "203.0.113.9", userAgent: "t/1" }) }, /^203\.0\.113\.9$/],
    ] as const) {
      const sessions = makeSessions();
      const app = new Koa().use(sessionMiddleware(sessions, options));
      app.use(async (ctx) => {
        await ctx.session.login("u_1");
        ctx.body = "ok";
      });
      const server = createServer(app.callback());
      servers.push(server);
      await send(await listen(server), "/", { headers: { "user-agent": "t/1" } });
      const [row] = await sessions.listUserSessions("u_1");
      expect(row!.ip).toMatch(ip);
      expect(row!.userAgent).toBe("t/1");
    }
  });
});

describe("sessionOf", () => {
  it("refuses a context the middleware did not load with that manager", () => {
    const ctx = new Koa().createContext({ headers: {}, socket: {} } as never, {} as never);
    expect(() => sessionOf(ctx, makeSessions())).toThrow(
      expect.objectContaining({ code: "ERR_KOA_NO_SESSION" }),
    );
  });
});

describe("startup checks", () => {
  it.each([[null], [{}], [{ load() {} }]])("refuses %j as the session manager", (bad) => {
    expect(() => sessionMiddleware(bad as never)).toThrow(
      expect.objectContaining({ code: "ERR_KOA_INVALID_OPTION" }),
    );
  });

  it("refuses a meta option that is not a function", () => {
    expect(() => sessionMiddleware(makeSessions(), { meta: "ip" as never })).toThrow(
      expect.objectContaining({ code: "ERR_KOA_INVALID_OPTION" }),
    );
  });
});
