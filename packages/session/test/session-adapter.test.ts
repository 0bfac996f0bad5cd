import { describe, expect, it } from "vitest";
import { adapterError, SessionAdapter } from "../src/adapter.js";
import { SessionError } from "../src/index.js";
import { setup } from "./helpers.js";

class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new WidgetError("ERR_WIDGET_INVALID_OPTION", message);
const defaultMeta = (request: Request) => ({
  userAgent: request.headers.get("user-agent") ?? undefined,
});

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WidgetError);
    expect((error as WidgetError).code).toBe("ERR_WIDGET_INVALID_OPTION");
    return (error as WidgetError).message;
  }
  throw new Error("expected the adapter to refuse its setup");
}

describe("SessionAdapter startup checks", () => {
  it("refuses, with the adapter's own error, anything but a manager, an options object and a meta function", () => {
    const { sessions } = setup();
    const make = (manager: unknown, options?: unknown, extra = {}) =>
      new SessionAdapter(manager as typeof sessions, options as never, {
        defaultMeta,
        invalid,
        ...extra,
      });
    expect(messageOf(() => make({ load: () => null }))).toBe(
      "sessions is invalid: expected the manager returned by createSessions()",
    );
    expect(messageOf(() => make(undefined, {}, { sessionsName: "option sessions" }))).toMatch(
      /^option sessions is invalid/,
    );
    for (const options of [null, "meta", 3]) {
      expect(messageOf(() => make(sessions, options))).toBe(
        "options is invalid: expected an object",
      );
    }
    expect(messageOf(() => make(sessions, { meta: "x-real-ip" }))).toBe(
      "option meta is invalid: expected a function",
    );
    expect(make(sessions, undefined).tokenHeader).toBe("cookie");
  });

  it("refuses a bearer-mode manager when the adapter can only carry a cookie, and says why", () => {
    const bearer = setup({ tokenMode: "authorization" }).sessions;
    expect(new SessionAdapter(bearer, {}, { defaultMeta, invalid }).tokenHeader).toBe(
      "authorization",
    );
    expect(
      messageOf(
        () => new SessionAdapter(bearer, {}, { defaultMeta, invalid, cookieOnly: "forms post" }),
      ),
    ).toBe('sessions is invalid: tokenMode "authorization" (expected "cookie": forms post)');
  });
});

describe("SessionAdapter at request time", () => {
  it("records the app's meta over the adapter's default", async () => {
    const { sessions, spy } = setup();
    const request = new Request("https://app.test/", { headers: { "user-agent": "Widget/1" } });
    const own = new SessionAdapter(
      sessions,
      { meta: () => ({ ip: "192.0.2.7" }) },
      {
        defaultMeta,
        invalid,
      },
    );
    const fallback = new SessionAdapter(sessions, {}, { defaultMeta, invalid });
    for (const [adapter, expected] of [
      [own, { ip: "192.0.2.7", userAgent: undefined }],
      [fallback, { ip: undefined, userAgent: "Widget/1" }],
    ] as const) {
      const session = await adapter.load(null, request);
      await session.login("u1");
      await adapter.finish(session, { method: "POST", status: 200 });
      const [info] = await sessions.listUserSessions("u1");
      expect(info).toMatchObject(expected);
      await sessions.revokeUser("u1");
    }
    expect(spy.calls.set).toBeGreaterThan(0);
  });

  it("answers a store outage at load with a 503 Response, never a fresh session", async () => {
    const { sessions, spy, jar, request } = setup();
    await request((s) => s.set("theme", "dark"));
    const adapter = new SessionAdapter(sessions, {}, { defaultMeta, invalid });
    spy.fail.add("get");
    const answer = await adapter.loadOrFail(jar.header() ?? null, new Request("https://app.test/"));
    expect(answer).toBeInstanceOf(Response);
    const response = answer as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("sends nothing and stores nothing for HEAD, OPTIONS, 304 or 5xx, and the session's cookie otherwise", async () => {
    const { sessions, spy } = setup();
    const adapter = new SessionAdapter(sessions, {}, { defaultMeta, invalid });
    const request = new Request("https://app.test/");
    for (const [method, status] of [
      ["HEAD", 200],
      ["OPTIONS", 204],
      ["GET", 304],
      ["POST", 500],
    ] as const) {
      const session = await adapter.load(null, request);
      session.set("theme", "dark");
      const sent = await adapter.send(session, method, new Response(null, { status }));
      expect(sent.headers.getSetCookie()).toEqual([]);
    }
    expect(spy.calls.set).toBe(0);
    const session = await adapter.load(null, request);
    session.set("theme", "dark");
    const sent = await adapter.send(session, "GET", new Response("ok"));
    expect(sent.headers.getSetCookie()).toHaveLength(1);
    expect(sent.headers.get("vary")).toBe("Cookie");
  });
});

describe("adapterError", () => {
  it("gives an outage and a lost race the adapter's own error, and passes everything else through", async () => {
    const { StoreUnavailableError } = await import("@tessera/store");
    const make = (failure: { code: string; message: string; status: number }) =>
      Object.assign(new WidgetError(`ERR_WIDGET_${failure.code}`, failure.message), {
        status: failure.status,
      });
    const outage = new StoreUnavailableError("redis://10.0.0.5 refused");
    const mapped = adapterError(outage, make) as WidgetError & { status: number };
    expect(mapped.code).toBe("ERR_WIDGET_STORE_UNAVAILABLE");
    expect(mapped.status).toBe(503);
    // The store's own message may name a host; the adapter's must not.
    expect(mapped.message).toBe("session store unavailable");
    const race = new SessionError("ERR_SESSION_CONFLICT", "lost");
    expect((adapterError(race, make) as WidgetError).code).toBe("ERR_WIDGET_CONFLICT");
    const refusal = new SessionError("ERR_SESSION_REAUTH_REQUIRED", "log in again");
    expect(adapterError(refusal, make)).toBe(refusal);
    const bug = new TypeError("x is undefined");
    expect(adapterError(bug, make)).toBe(bug);
  });
});
