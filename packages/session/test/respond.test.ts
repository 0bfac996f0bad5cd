import { describe, expect, it } from "vitest";
import {
  applyCookies,
  commitsOn,
  respond,
  responseHeaders,
  varyWithCookie,
  withSessions,
} from "../src/index.js";
import { setup } from "./helpers.js";

describe("commitsOn", () => {
  it("refuses HEAD, OPTIONS (any case), 304 and every 5xx, and allows the rest", () => {
    expect(commitsOn("HEAD", 200)).toBe(false);
    expect(commitsOn("options", 204)).toBe(false);
    expect(commitsOn("GET", 304)).toBe(false);
    expect(commitsOn("DELETE", 500)).toBe(false);
    expect(commitsOn("POST", 503)).toBe(false);
    expect(commitsOn("GET", 599)).toBe(false);
    expect(commitsOn("GET", 200)).toBe(true);
    expect(commitsOn("POST", 303)).toBe(true);
    // A refused form may carry a flash message on purpose.
    expect(commitsOn("POST", 400)).toBe(true);
    expect(commitsOn("POST", 499)).toBe(true);
  });
});

describe("varyWithCookie", () => {
  it("adds Cookie once, whatever shape the framework keeps Vary in", () => {
    expect(varyWithCookie(undefined)).toBe("Cookie");
    expect(varyWithCookie(null)).toBe("Cookie");
    expect(varyWithCookie("")).toBe("Cookie");
    expect(varyWithCookie([])).toBe("Cookie");
    expect(varyWithCookie("Accept")).toBe("Accept, Cookie");
    expect(varyWithCookie(["Accept", "Origin"])).toBe("Accept, Origin, Cookie");
    expect(varyWithCookie("accept, cookie")).toBe("accept, cookie");
    expect(varyWithCookie("*")).toBe("*");
    expect(varyWithCookie("X-Cookie-Hint")).toBe("X-Cookie-Hint, Cookie");
  });
});

describe("responseHeaders", () => {
  it("marks a response with a cookie no-store and Vary: Cookie, keeping the session's own headers", () => {
    const out = responseHeaders(
      { setCookie: ["a=1"], headers: { "clear-site-data": '"cache"' } },
      "Accept",
    );
    expect(out).toEqual({
      setCookie: ["a=1"],
      headers: {
        "clear-site-data": '"cache"',
        "cache-control": "no-store",
        vary: "Accept, Cookie",
      },
      committed: true,
    });
  });

  it("marks a bearer token no-store without Vary, and leaves an unchanged session alone", () => {
    expect(responseHeaders({ setCookie: [], token: "t", headers: {} }).headers).toEqual({
      "cache-control": "no-store",
    });
    expect(responseHeaders({ setCookie: [], headers: {} }).headers).toEqual({});
  });
});

describe("respond", () => {
  it("commits nothing on HEAD, OPTIONS, 304 or 5xx, and commits otherwise", async () => {
    const { sessions, spy } = setup();
    for (const [method, status] of [
      ["HEAD", 200],
      ["OPTIONS", 204],
      ["GET", 304],
      ["POST", 500],
      ["GET", 503],
    ] as const) {
      const session = await sessions.load(undefined);
      session.set("theme", "dark");
      const out = await respond(sessions, session, { method, status });
      expect(out).toMatchObject({ setCookie: [], headers: {}, committed: false });
    }
    expect(spy.calls.set).toBe(0);
    const session = await sessions.load(undefined);
    session.set("theme", "dark");
    const out = await respond(sessions, session, { method: "GET", status: 200 });
    expect(out.committed).toBe(true);
    expect(out.setCookie).toHaveLength(1);
    expect(out.headers).toMatchObject({ "cache-control": "no-store", vary: "Cookie" });
    expect(spy.calls.set).toBe(1);
  });
});

describe("withSessions follows the same policy", () => {
  // A failed handler's changes used to be stored and sent with its 500.
  it("sends no cookie and stores nothing for a 500, whether returned or thrown", async () => {
    const { sessions, spy } = setup();
    const handler = withSessions(sessions, async (request, session) => {
      session.set("theme", "dark");
      if (request.method === "POST") throw new Error("route failed");
      return new Response("failed", { status: 500 });
    });
    const returned = await handler(new Request("https://app.test/"));
    expect(returned.status).toBe(500);
    expect(returned.headers.getSetCookie()).toEqual([]);
    await expect(handler(new Request("https://app.test/", { method: "POST" }))).rejects.toThrow(
      "route failed",
    );
    expect(spy.calls.set).toBe(0);
  });

  it("sends no cookie and stores nothing for HEAD and 304", async () => {
    const { sessions, spy } = setup();
    const handler = withSessions(sessions, async (request, session) => {
      session.set("theme", "dark");
      return new Response(null, { status: request.headers.get("x-status") === "304" ? 304 : 200 });
    });
    const head = await handler(new Request("https://app.test/", { method: "HEAD" }));
    const notModified = await handler(
      new Request("https://app.test/", { headers: { "x-status": "304" } }),
    );
    expect(head.headers.getSetCookie()).toEqual([]);
    expect(notModified.headers.getSetCookie()).toEqual([]);
    expect(spy.calls.set).toBe(0);
    const get = await handler(new Request("https://app.test/"));
    expect(get.headers.getSetCookie()).toHaveLength(1);
    expect(get.headers.get("vary")).toBe("Cookie");
    expect(spy.calls.set).toBe(1);
  });
});

describe("applyCookies agrees with respond", () => {
  // Bearer-mode responses through withSessions, Hono and Next carried Vary: Cookie
  // while Express and Fastify did not.
  it("adds Vary: Cookie only when a cookie is set, and no-store whenever it writes", async () => {
    const { sessions } = setup({ tokenMode: "authorization" });
    const handler = withSessions(sessions, async (_request, session) => {
      await session.login("u1");
      return new Response("ok");
    });
    const response = await handler(new Request("https://app.test/", { method: "POST" }));
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("vary")).toBeNull();
    const cleared = applyCookies(new Response("x"), [], { "clear-site-data": '"cookies"' });
    expect(cleared.headers.get("cache-control")).toBe("no-store");
    expect(cleared.headers.get("vary")).toBeNull();
    expect(applyCookies(new Response("x"), ["a=1"]).headers.get("vary")).toBe("Cookie");
  });
});
