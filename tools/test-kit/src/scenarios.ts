import { SessionError } from "@tessera/session";
import { describe, expect, it } from "vitest";
import { cookieOf, type Reply, send } from "../../../scripts/http-test-kit.js";
import { type AppSession, type AppSessions, FlakyStore, makeSessions } from "./sessions.js";

/** Where a scenario app keeps a session past its response. */
export interface Late {
  session?: AppSession;
}

/** The framework's side of the routes {@link scenarioRoute} writes once. */
export interface RouteIO {
  /** Answers with a 302 to `location` the framework's way; what it returns is the route's answer. */
  redirect(location: string): unknown;
  /** Adds one app `Set-Cookie` line beside the session's, the framework's way. */
  appendSetCookie(line: string): void;
  /** The error a route bug throws; a plain `Error` unless the framework has its own. */
  bug?(message: string): Error;
}

/**
 * The scenario app's routes, written once against the session. `route` is
 * `"METHOD /path"`; resolves what the route answers (a JSON value, text, or
 * what `io.redirect` returned), or `undefined` for a route it does not serve.
 *
 * | route | does |
 * | --- | --- |
 * | `GET`, `HEAD`, `OPTIONS /inc` | adds 1 to `n`: `{ n, rejected }` |
 * | `GET /read` | `{ n, user, data }` |
 * | `POST /login` | logs in `u_1`, redirects to `/read` |
 * | `POST /logout` | logs out: `bye` |
 * | `GET /late` | keeps the session in `late` past the response |
 * | `POST /delete-account` | sets an app cookie, then `requireFresh(300)` |
 * | `GET /boom` | sets `n` to 99, then throws `route bug` |
 */
export async function scenarioRoute(
  route: string,
  s: AppSession,
  late: Late,
  io: RouteIO,
): Promise<unknown> {
  switch (route) {
    case "GET /inc":
    case "HEAD /inc":
    case "OPTIONS /inc":
      s.set("n", (s.get("n") ?? 0) + 1);
      return { n: s.get("n"), rejected: s.rejected ?? null };
    case "GET /read":
      return { n: s.get("n") ?? null, user: s.userId ?? null, data: s.toJSON() };
    case "POST /login":
      await s.login("u_1");
      return io.redirect("/read");
    case "POST /logout":
      await s.logout();
      return "bye";
    case "GET /late":
      late.session = s; // kept past the response
      return "done";
    case "POST /delete-account":
      io.appendSetCookie("theme=dark; Path=/");
      s.requireFresh(300);
      return "deleted";
    case "GET /boom":
      s.set("n", 99);
      throw io.bug?.("route bug") ?? new Error("route bug");
  }
  return undefined;
}

/** A running scenario app. */
export interface ScenarioApp {
  base: string;
  late: Late;
}

/** A Node framework adapter under {@link describeScenarios}. */
export interface NodeAdapter<App extends ScenarioApp> {
  /** The framework, in the test titles. */
  name: string;
  /**
   * Serves {@link scenarioRoute} over `sessions` on real HTTP, plus `GET /typed`:
   * `{ n }` read through the adapter's typed accessor (its `sessionOf`).
   */
  start(sessions: AppSessions): Promise<App>;
  /** Serves one route that logs in `u_1`, with `options` passed to the adapter. */
  startLogin(
    sessions: AppSessions,
    options: { meta?: () => { ip: string; userAgent: string } },
  ): Promise<string>;
  /** Checks what the framework made of a route's own error, given its 500 `reply`. */
  routeErrorHandled(reply: Reply, app: App): void;
  /** The code the adapter refuses a bad option with at startup, e.g. `ERR_KOA_INVALID_OPTION`. */
  invalidOption: string;
  /** The adapter given `sessions`, as an app mounts it (for {@link describeStartupChecks}). */
  mount(sessions: AppSessions): unknown;
}

const SID = "__Host-sid";

/**
 * The scenarios every Node framework adapter passes the same way: the
 * session's life over real HTTP, the commit's end, the failures the
 * manager's `httpFailure` answers, a route's own error, the load meta, and
 * {@link describeStartupChecks}.
 */
export function describeScenarios<App extends ScenarioApp>(adapter: NodeAdapter<App>): void {
  const json = async (base: string, path: string, cookie: string) =>
    JSON.parse((await send(base, path, { cookie })).body);

  describe(`${adapter.name}: the scenarios every Node adapter shares`, () => {
    it("counts visits, rotates the cookie on login (a redirect) and clears it on logout", async () => {
      const { base } = await adapter.start(makeSessions({ clearSiteDataOnLogout: true }));
      const first = await send(base, "/inc");
      expect(JSON.parse(first.body)).toEqual({ n: 1, rejected: null });
      expect(first.setCookie).toEqual([
        expect.stringMatching(/^__Host-sid=[\w.-]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/),
      ]);
      expect([first.headers["cache-control"], first.headers.vary]).toEqual(["no-store", "Cookie"]);
      const anonymous = cookieOf(first, SID)!;
      const second = await send(base, "/inc", { cookie: anonymous });
      expect([JSON.parse(second.body).n, second.setCookie]).toEqual([2, []]);
      expect((await json(base, "/typed", anonymous)).n).toBe(2);

      // A redirect may write the response inside the route: the cookie must still go out.
      const login = await send(base, "/login", { method: "POST", cookie: anonymous });
      const user = cookieOf(login, SID)!;
      expect([login.status, login.headers.location, user === anonymous]).toEqual([
        302,
        "/read",
        false,
      ]);
      expect((await json(base, "/read", user)).user).toBe("u_1");
      expect((await json(base, "/read", anonymous)).user).toBeNull();

      const out = await send(base, "/logout", { method: "POST", cookie: user });
      expect(out.setCookie).toEqual([expect.stringMatching(/^__Host-sid=; .*Max-Age=0/)]);
      expect(out.headers["clear-site-data"]).toBeDefined();
      expect((await json(base, "/read", user)).user).toBeNull();
    });

    it("stops session changes once the commit began", async () => {
      const { base, late } = await adapter.start(makeSessions());
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
      const store = new FlakyStore();
      const { base } = await adapter.start(makeSessions({ store, maxRetries: 1 }));
      const cookie = cookieOf(await send(base, "/inc"), SID)!;
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
      expect((await json(base, "/read", cookie)).n).toBe(1);
    });

    it(`leaves other route errors to ${adapter.name}, and stores none of the failed route's changes`, async () => {
      const app = await adapter.start(makeSessions());
      const cookie = cookieOf(await send(app.base, "/inc"), SID)!;
      const r = await send(app.base, "/boom", { cookie });
      expect([r.status, r.setCookie]).toEqual([500, []]);
      adapter.routeErrorHandled(r, app);
      expect((await json(app.base, "/read", cookie)).n).toBe(1);
    });

    it("records the User-Agent and the client's address, or what the meta option returns", async () => {
      for (const [options, ip] of [
        [{}, /127\.0\.0\.1$/],
        [{ meta: () => ({ ip: "203.0.113.9", userAgent: "t/1" }) }, /^203\.0\.113\.9$/],
      ] as const) {
        const sessions = makeSessions();
        await send(await adapter.startLogin(sessions, options), "/", {
          headers: { "user-agent": "t/1" },
        });
        const [row] = await sessions.listUserSessions("u_1");
        expect(row!.ip).toMatch(ip);
        expect(row!.userAgent).toBe("t/1");
      }
    });
  });

  describeStartupChecks(adapter.invalidOption, adapter.mount);
}

/** Managers a session middleware must refuse at startup: none, an empty object, a `load` alone. */
const NOT_MANAGERS: unknown[][] = [[null], [{}], [{ load() {} }]];

/**
 * Cookie settings `createSessions` refuses at startup, so no adapter can
 * serve them: a `__Host-` cookie with a Domain or a Path other than `/`
 * (RFC 6265bis §4.1.3.2), and `SameSite=None`.
 */
export const INSECURE_COOKIES: unknown[][] = [
  [{ name: "__Host-sid", domain: "example.com" }],
  [{ name: "__Host-sid", path: "/app" }],
  [{ sameSite: "none" }],
];

/**
 * The startup checks every synchronous session middleware shares: `mount`
 * (the adapter given a manager) throws `code` for what is not a manager, and
 * no manager with an insecure cookie setting can be built to give it
 * (`createSessions` throws a SessionError, `ERR_SESSION_INVALID_OPTION`).
 *
 * @example
 * ```ts
 * describeStartupChecks("ERR_KOA_INVALID_OPTION", (sessions) => sessionMiddleware(sessions));
 * ```
 */
export function describeStartupChecks(code: string, mount: (sessions: AppSessions) => unknown) {
  describe("startup checks every middleware shares", () => {
    it.each(NOT_MANAGERS)("refuses %j as the session manager", (bad) => {
      expect(() => mount(bad as never)).toThrow(expect.objectContaining({ code }));
    });

    it.each(INSECURE_COOKIES)("refuses an insecure cookie configuration %j", (cookie) => {
      const build = () => mount(makeSessions({ cookie: cookie as never }));
      expect(build).toThrow(SessionError);
      expect(build).toThrow(expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }));
    });
  });
}

/** How a test sends a request: over real HTTP, or a Web handler's stand-in of the same shape. */
export type Send = typeof send;

/**
 * Logs out a stateless session whose cookie is split into chunks and checks
 * that the logout clears every chunk. The app serves `GET /big` (stores a
 * value that needs two chunks) and `POST /logout`.
 */
export async function expectLogoutClearsEveryChunk(base: string, request: Send = send) {
  const big = await request(base, "/big");
  const chunks = big.setCookie.map((c) => c.slice(0, c.indexOf(";")));
  expect(chunks.length).toBeGreaterThan(1);
  expect(chunks.every((c) => /^__Host-sid\.\d=/.test(c))).toBe(true);
  const out = await request(base, "/logout", { method: "POST", cookie: chunks.join("; ") });
  const cleared = out.setCookie.filter((c) => /Max-Age=0/.test(c)).map((c) => c.split("=")[0]);
  expect(cleared).toEqual(expect.arrayContaining(chunks.map((c) => c.split("=")[0])));
}

/**
 * Makes a session with a first request to `path`, takes `store` down, and
 * checks the next request's answer as `httpFailure` gives it: 503,
 * `Retry-After: 5`, no cookie. Leaves the store down; resolves the cookie.
 */
export async function expectOutageAnswers503(base: string, path: string, store: FlakyStore) {
  const cookie = cookieOf(await send(base, path), SID)!;
  store.down = true;
  const down = await send(base, path, { cookie });
  expect(down.status).toBe(503);
  expect(down.headers["retry-after"]).toBe("5");
  expect(down.setCookie).toEqual([]);
  return cookie;
}
