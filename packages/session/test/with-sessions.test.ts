import { MemoryStore, type SessionStore, StoreUnavailableError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { SessionError } from "../src/errors.js";
import { failureResponse, httpFailure } from "../src/http-failure.js";
import { withSessions } from "../src/with-sessions.js";
import { Jar, keyring, setup } from "./helpers.js";

describe("withSessions", () => {
  it("loads, calls, commits and applies cookies", async () => {
    const { sessions } = setup();
    const handler = withSessions(sessions, async (_req, session) => {
      session.set("n", (session.get("n") ?? 0) + 1);
      return new Response(String(session.get("n")));
    });
    const jar = new Jar();
    for (const expected of ["1", "2", "3"]) {
      const res = await handler(
        new Request("https://app.test/", { headers: { cookie: jar.header() } }),
      );
      expect(await res.text()).toBe(expected);
      jar.apply(res.headers.getSetCookie());
    }
  });

  it("answers 503 when the store is down, never a fresh session", async () => {
    const { sessions, spy, request, jar } = setup();
    await request((s) => s.set("n", 1));
    spy.fail.add("get");
    let called = false;
    const handler = withSessions(sessions, async () => {
      called = true;
      return new Response("ok");
    });
    const res = await handler(
      new Request("https://app.test/", { headers: { cookie: jar.header() } }),
    );
    expect(res.status).toBe(503);
    expect(called).toBe(false);
  });

  it("answers 409 and stores nothing when every write loses the race", async () => {
    const inner = new MemoryStore();
    let conflict = false;
    const store: SessionStore = {
      get: (k) => inner.get(k),
      set: async (k, e, o) =>
        conflict && o?.expectVersion !== undefined
          ? { ok: false, conflict: true }
          : inner.set(k, e, o),
      touch: (k, t) => inner.touch(k, t),
      delete: (k) => inner.delete(k),
    };
    // Real time on both sides: the store's clock must agree with the manager's.
    const sessions = createSessions<{ n: number }>({ keys: keyring(), store, maxRetries: 1 });
    const handler = withSessions(sessions, async (_req, session) => {
      session.set("n", (session.get("n") ?? 0) + 1);
      return new Response(String(session.get("n")));
    });
    const jar = new Jar();
    const first = await handler(new Request("https://app.test/"));
    jar.apply(first.headers.getSetCookie());
    conflict = true;
    const lost = await handler(
      new Request("https://app.test/", { headers: { cookie: jar.header() } }),
    );
    expect([lost.status, await lost.text()]).toEqual([409, "Conflict"]);
    expect(lost.headers.get("cache-control")).toBe("no-store");
    expect(lost.headers.getSetCookie()).toEqual([]);
    conflict = false;
    const next = await handler(
      new Request("https://app.test/", { headers: { cookie: jar.header() } }),
    );
    expect(await next.text()).toBe("2");
  });

  it("passes extra arguments through and rethrows handler errors", async () => {
    const { sessions } = setup();
    const handler = withSessions(
      sessions,
      async (_req, _s, env: { x: number }) => new Response(String(env.x)),
    );
    expect(await (await handler(new Request("https://app.test/"), { x: 7 })).text()).toBe("7");
    const failing = withSessions(sessions, async () => {
      throw new Error("boom");
    });
    await expect(failing(new Request("https://app.test/"))).rejects.toThrow("boom");
  });

  it("passes request metadata to load", async () => {
    const { sessions } = setup();
    const handler = withSessions(
      sessions,
      async (_req, session) => {
        await session.login("u1");
        return new Response("ok");
      },
      { meta: () => ({ ip: "198.51.100.1", userAgent: "UA" }) },
    );
    await handler(new Request("https://app.test/"));
    const [info] = await sessions.listUserSessions("u1");
    expect(info).toMatchObject({ ip: "198.51.100.1", userAgent: "UA" });
  });
});

describe("step-up refusals (requireFresh) answer 401, not 500", () => {
  // Regression: ERR_SESSION_REAUTH_REQUIRED was not mapped, so the handler's
  // requireFresh rejected withSessions' promise (a 500 from the platform).
  it("withSessions answers 401 with Cache-Control: no-store and sends no cookie", async () => {
    const { sessions, request, jar, clock } = setup();
    await request((s) => s.login("u1"));
    clock.advance(10 * 60 * 1000);
    const handler = withSessions(sessions, async (_req, session) => {
      session.requireFresh(300);
      return new Response("account deleted");
    });
    const res = await handler(
      new Request("https://app.test/delete", { headers: { cookie: jar.header() } }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).toBe("Unauthorized");
  });

  it("the SessionError carries status 401 and no-store for framework error handlers", () => {
    const error = new SessionError("ERR_SESSION_REAUTH_REQUIRED", "x");
    expect([error.status, error.statusCode, error.headers]).toEqual([
      401,
      401,
      { "cache-control": "no-store" },
    ]);
    const other = new SessionError("ERR_SESSION_TOO_LARGE", "x");
    expect([other.status, other.statusCode, other.headers]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("httpFailure", () => {
  it("maps outages to 503, lost write races to 409, step-up refusals to 401, and nothing else", () => {
    for (const error of [
      new StoreUnavailableError("connect ECONNREFUSED"),
      { code: "ERR_STORE_CLOSED" },
    ]) {
      expect(httpFailure(error)).toEqual({
        kind: "store_unavailable",
        status: 503,
        headers: { "retry-after": "5", "cache-control": "no-store" },
      });
    }
    expect(httpFailure(new SessionError("ERR_SESSION_CONFLICT", "x"))).toEqual({
      kind: "conflict",
      status: 409,
      headers: { "cache-control": "no-store" },
    });
    expect(httpFailure(new SessionError("ERR_SESSION_REAUTH_REQUIRED", "x"))).toEqual({
      kind: "reauth_required",
      status: 401,
      headers: { "cache-control": "no-store" },
    });
    for (const other of [
      new SessionError("ERR_SESSION_TOO_LARGE", "x"),
      new Error("boom"),
      null,
      undefined,
      "ERR_STORE_UNAVAILABLE",
      { code: 42 },
    ]) {
      expect(httpFailure(other)).toBeUndefined();
    }
  });

  it("builds a plain-text response carrying nothing from the error", async () => {
    const failure = httpFailure(new StoreUnavailableError("redis://secret-host"))!;
    const res = failureResponse(failure);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("Service Unavailable");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toBe("text/plain");
  });
});
