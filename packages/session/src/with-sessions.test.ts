import { describe, expect, it } from "vitest";
import { Jar, setup } from "../test/helpers.js";
import { withSessions } from "./with-sessions.js";

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

  it("answers 503 when the store is down, never a fresh session (ERR-02)", async () => {
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
