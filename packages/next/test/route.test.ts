import { StoreUnavailableError } from "@tessera/store";
import { makeSessions, thrownBy } from "@tessera/test-kit";
import { describe, expect, expectTypeOf, it } from "vitest";
import { NextSessionError } from "../src/errors.js";
import { createNextSessions } from "../src/index.js";
import { bindNextSessions, type ReadonlySession } from "../src/next-sessions.js";
import { type Data, RequestScopeFake, setup } from "./helpers.js";

describe("route (Route Handlers)", () => {
  it("loads, runs the handler and puts the cookies on its Response", async () => {
    const { next } = setup();
    const GET = next.route(
      async (_request, session, context: { params: Promise<{ id: string }> }) => {
        session.set("note", (await context.params).id);
        return Response.json({ ok: true });
      },
    );
    const response = await GET(new Request("https://app.example/api/notes/7"), {
      params: Promise.resolve({ id: "7" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 503 without a cookie when the store is down", async () => {
    const { next, memory } = setup();
    memory.set = async () => {
      throw new StoreUnavailableError("injected outage");
    };
    const POST = next.route((_request, session) => {
      session.set("count", 1);
      return new Response("ok");
    });
    const response = await POST(new Request("https://app.example/api/count", { method: "POST" }));
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe("createNextSessions", () => {
  it("refuses a bearer-token manager with a typed error naming the option", () => {
    const caught = thrownBy(() => createNextSessions(makeSessions({ tokenMode: "authorization" })));
    expect(NextSessionError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "ERR_NEXT_INVALID_OPTION" });
    expect((caught as Error).message).toContain("tokenMode");
  });

  it("refuses something that is not a manager, and a meta that is not a function", () => {
    expect(() => createNextSessions({} as never)).toThrow(/sessions is invalid/);
    const sessions = makeSessions();
    expect(() => createNextSessions(sessions, { meta: "ip" as never })).toThrow(
      /option meta is invalid/,
    );
  });

  it("records the meta the app derives from the request headers", async () => {
    const sessions = makeSessions();
    const request = new RequestScopeFake();
    const next = bindNextSessions(
      sessions,
      { meta: (h) => ({ ip: h.get("user-agent") === null ? undefined : "203.0.113.9" }) },
      request.scope,
    );
    request.begin("");
    await next.withSession((session) => session.login("alice"));
    const [row] = await sessions.listUserSessions("alice");
    expect(row?.ip).toBe("203.0.113.9");
  });

  it("types every function from createSessions<Data>()", () => {
    const { next } = setup();
    expectTypeOf(next.getSession).returns.resolves.toEqualTypeOf<
      ReadonlySession<Data, { notice: string }>
    >();
    const neverRun = async () => {
      const session = await next.getSession();
      expectTypeOf(session.get("count")).toEqualTypeOf<number | undefined>();
      // @ts-expect-error a Server Component cannot change the session
      session.set("count", 1);
      await next.withSession((s) => {
        // @ts-expect-error wrong value type
        s.set("count", "1");
        expectTypeOf(s.consumeFlash("notice")).toEqualTypeOf<string | undefined>();
      });
    };
    expectTypeOf(neverRun).toBeFunction();
  });
});
