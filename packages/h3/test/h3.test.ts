import { createServer, type Server } from "node:http";
import { Readable } from "node:stream";
import {
  createSessions,
  type Session,
  type SessionData,
  type Sessions,
  type SessionsOptions,
} from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
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
import { afterEach, describe, expect, it } from "vitest";
import { close, cookieOf, FlakyStore, listen, send } from "../../../scripts/http-test-kit.js";
import { sessionOf, withSession } from "../src/index.js";

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

async function serve(app: ReturnType<typeof createApp>): Promise<string> {
  const server = createServer(toNodeListener(app));
  servers.push(server);
  return listen(server);
}

/** The test app over real HTTP on 127.0.0.1. */
async function start(sessions: AppSessions = makeSessions() as never) {
  const late: { session?: Session<AppData, SessionData> } = {};
  const app = createApp();
  app.use(
    withSession(sessions, async (event) => {
      const s = event.context.session;
      switch (`${event.method} ${event.path.split("?")[0]}`) {
        case "GET /inc":
        case "HEAD /inc":
        case "OPTIONS /inc":
          s.set("n", (s.get("n") ?? 0) + 1);
          return { n: s.get("n"), rejected: s.rejected ?? null };
        case "GET /read":
          return { n: s.get("n") ?? null, user: s.userId ?? null, data: s.toJSON() };
        case "GET /typed":
          return { n: sessionOf(event as H3Event, sessions).get("n") ?? null };
        case "POST /login":
          await s.login("u_1");
          return sendRedirect(event, "/read", 302);
        case "GET /fetch-redirect":
          s.set("n", 3);
          return Response.redirect("https://example.test/", 302);
        case "POST /logout":
          await s.logout();
          return "bye";
        case "GET /stream":
          s.set("n", 7);
          return sendStream(event, Readable.from(["a", "b", "c"]));
        case "GET /late":
          late.session = s; // kept past the response
          return "done";
        case "POST /delete-account":
          appendResponseHeader(event, "set-cookie", "theme=dark; Path=/");
          s.requireFresh(300);
          return "deleted";
        case "GET /boom":
          s.set("n", 99);
          throw createError({ statusCode: 500, message: "route bug" });
      }
    }),
  );
  return { base: await serve(app), late };
}

describe("h3 1.x on node:http", () => {
  it("counts visits, rotates the cookie on login (sendRedirect) and clears it on logout", async () => {
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

    // sendRedirect writes the response inside the handler: the cookie must still go out.
    const login = await send(base, "/login", { method: "POST", cookie: anonymous });
    const user = cookieOf(login, "__Host-sid")!;
    expect([login.status, login.headers.location, user === anonymous]).toEqual([
      302,
      "/read",
      false,
    ]);
    const read = async (cookie: string) => JSON.parse((await send(base, "/read", { cookie })).body);
    expect((await read(user)).user).toBe("u_1");
    expect((await read(anonymous)).user).toBeNull();

    const out = await send(base, "/logout", { method: "POST", cookie: user });
    expect(out.setCookie).toEqual([expect.stringMatching(/^__Host-sid=; .*Max-Age=0/)]);
    expect(out.headers["clear-site-data"]).toBeDefined();
    expect((await read(user)).user).toBeNull();
  });

  // A returned Response (immutable headers), and a stream h3 pipes itself.
  it.each([
    ["/fetch-redirect", 302, 3],
    ["/stream", 200, 7],
  ] as const)("adds the cookie before h3 sends %s", async (path, status, n) => {
    const { base } = await start();
    const r = await send(base, path);
    expect([r.status, r.headers["cache-control"]]).toEqual([status, "no-store"]);
    if (path === "/stream") expect(r.body).toBe("abc");
    const cookie = cookieOf(r, "__Host-sid")!;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(n);
  });

  it("stops session changes once the commit began", async () => {
    const { base, late } = await start();
    await send(base, "/late");
    expect(() => late.session?.set("n", 2)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_COMMITTED" }),
    );
  });

  it("answers 503 when the store fails during a commit the handler's sendRedirect started", async () => {
    const store = flakyStore();
    const sessions = makeSessions({ store });
    const app = createApp();
    app.use(
      withSession(sessions as never as AppSessions, async (event) => {
        event.context.session.set("n", 1);
        store.down = true;
        return sendRedirect(event, "/next");
      }),
    );
    const r = await send(await serve(app), "/");
    expect(r.status).toBe(503);
    expect(r.headers.location).toBeUndefined();
    expect(r.setCookie).toEqual([]);
    expect(r.body).toBe("Service Unavailable");
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

  it("leaves other handler errors to h3, and stores none of the failed handler's changes", async () => {
    const { base } = await start();
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    const r = await send(base, "/boom", { cookie });
    expect([r.status, r.setCookie]).toEqual([500, []]);
    expect(r.body).not.toContain("route bug");
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });
});

describe("h3's Web handler (Nitro's Web presets)", () => {
  it("sets the cookie on a returned value and before sendRedirect's headers", async () => {
    const sessions = makeSessions();
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

describe("load meta", () => {
  it("records the User-Agent and the socket's address, or what the meta option returns", async () => {
    for (const [options, ip] of [
      [{}, /127\.0\.0\.1$/],
      [{ meta: () => ({ ip: "203.0.113.9", userAgent: "t/1" }) }, /^203\.0\.113\.9$/],
    ] as const) {
      const sessions = makeSessions();
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
      await send(await serve(app), "/", { headers: { "user-agent": "t/1" } });
      const [row] = await sessions.listUserSessions("u_1");
      expect(row!.ip).toMatch(ip);
      expect(row!.userAgent).toBe("t/1");
    }
  });
});

describe("sessionOf", () => {
  it("refuses an event the wrapper did not load with that manager", () => {
    const event = { context: {} } as H3Event;
    expect(() => sessionOf(event, makeSessions())).toThrow(
      expect.objectContaining({ code: "ERR_H3_NO_SESSION" }),
    );
  });
});

describe("startup checks", () => {
  it.each([[null], [{}], [{ load() {} }]])("refuses %j as the session manager", (bad) => {
    expect(() => withSession(bad as never, () => "ok")).toThrow(
      expect.objectContaining({ code: "ERR_H3_INVALID_OPTION" }),
    );
  });

  it("refuses a handler or a meta option that is not a function", () => {
    expect(() => withSession(makeSessions(), "ok" as never)).toThrow(
      expect.objectContaining({ code: "ERR_H3_INVALID_OPTION" }),
    );
    expect(() => withSession(makeSessions(), () => "ok", { meta: "ip" as never })).toThrow(
      expect.objectContaining({ code: "ERR_H3_INVALID_OPTION" }),
    );
  });
});
