/** Logout can ask the browser to clear cache, cookies and storage (Clear-Site-Data, OWASP "Manual Session Expiration"). */
import { describe, expect, it } from "vitest";
import { applyCookies } from "../src/apply-cookies.js";
import { withSessions } from "../src/with-sessions.js";
import { Jar, setup } from "./helpers.js";

const VALUE = '"cache", "cookies", "storage"';

describe("clearSiteDataOnLogout", () => {
  it("commitHeaders: Clear-Site-Data after logout; the cookie is cleared too; replay is anonymous", async () => {
    const { request, sessions, jar, spy } = setup({ clearSiteDataOnLogout: true });
    const { session: first } = await request((s) => s.login("u1"));
    const key = (first as unknown as { key: string }).key;
    const old = jar.clone();
    const s = await sessions.load(jar.header());
    await s.logout();
    const result = await sessions.commitHeaders(s);
    expect(result.headers).toEqual({ "clear-site-data": VALUE });
    expect(result.setCookie).toHaveLength(1);
    expect(result.setCookie[0]).toMatch(/^__Host-sid=; Path=\/;.*Max-Age=0/);
    expect(await spy.inner.get(key)).toBeNull();
    expect((await sessions.load(old.header())).userId).toBeUndefined();
  });

  it("commit returns the same Set-Cookie values (delegates to commitHeaders)", async () => {
    const { request, sessions, jar } = setup({ clearSiteDataOnLogout: true });
    await request((s) => s.set("n", 1));
    const s = await sessions.load(jar.header());
    await s.logout();
    const lines = await sessions.commit(s);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Max-Age=0/);
  });

  it.each([
    ["option off", { clearSiteDataOnLogout: false }, true],
    ["no logout", { clearSiteDataOnLogout: true }, false],
  ])("%s → no Clear-Site-Data", async (_name, options, logout) => {
    const { request, sessions, jar } = setup(options);
    await request((s) => s.set("n", 1));
    const s = await sessions.load(jar.header());
    if (logout) await s.logout();
    else s.set("n", 2);
    expect((await sessions.commitHeaders(s)).headers).toEqual({});
  });

  it("a session destroyed by another request does not send it", async () => {
    const { request, sessions, jar } = setup({ clearSiteDataOnLogout: true });
    await request((s) => s.set("n", 1));
    const long = await sessions.load(jar.header());
    const other = await sessions.load(jar.header());
    await other.logout();
    await sessions.commit(other);
    long.set("n", 2);
    expect((await sessions.commitHeaders(long)).headers).toEqual({});
  });

  it("withSessions applies it with no-store; applyCookies takes extra headers", async () => {
    const { sessions, request, jar } = setup({ clearSiteDataOnLogout: true });
    await request((s) => s.set("n", 1));
    const handler = withSessions(sessions, async (_req, session) => {
      await session.logout();
      return new Response("bye");
    });
    const res = await handler(
      new Request("https://app.test/logout", { headers: { cookie: jar.header() } }),
    );
    expect(res.headers.get("clear-site-data")).toBe(VALUE);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
    const plain = applyCookies(new Response("x"), [], { "clear-site-data": VALUE });
    expect(plain.headers.get("clear-site-data")).toBe(VALUE);
    expect(plain.headers.get("cache-control")).toBe("no-store");
    expect(new Jar().header()).toBe("");
  });

  it("commit and commitHeaders work detached from the manager (adapters may hold them)", async () => {
    const { sessions } = setup({ clearSiteDataOnLogout: true });
    const { commit, commitHeaders } = sessions;
    const s = await sessions.load("");
    s.set("n", 1);
    const line = (await commit(s))[0]!;
    // A committed session takes no more changes: the logout is the next request's.
    const next = await sessions.load(line.slice(0, line.indexOf(";")));
    await next.logout();
    expect((await commitHeaders(next)).headers).toEqual({ "clear-site-data": VALUE });
  });

  it("rejects a non-boolean option", () => {
    expect(() => setup({ clearSiteDataOnLogout: "yes" as unknown as boolean })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });
});
