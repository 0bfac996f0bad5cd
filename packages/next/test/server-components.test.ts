import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

describe("getSession (Server Components)", () => {
  it("reads the session of the request's cookie, typed from createSessions<Data>()", async () => {
    const { act, read } = setup();
    await act(async (session) => {
      await session.login("alice");
      session.set("count", 3);
    });

    const session = await read();
    expect(session.userId).toBe("alice");
    const count: number | undefined = session.get("count");
    expect(count).toBe(3);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.rejected).toBeUndefined();
  });

  it("answers a tampered cookie with an anonymous session and its reason, never an exception", async () => {
    const { request, next, sessions } = setup();
    request.begin(`${sessions.cookieName}=AAAA.BBBB; theme=dark`);
    const session = await next.getSession();
    expect(session.userId).toBeUndefined();
    expect(session.isNew).toBe(true);
    expect(session.rejected).toBe("malformed");
  });

  it("never writes, even when the session is due for a touch", async () => {
    const { request, calls, time, act, read } = setup({ cookie: { persistent: true } });
    await act((session) => session.login("alice"));
    const before = { ...calls };

    time.advance(10 * 60 * 1000);
    const session = await read();
    expect(session.userId).toBe("alice");
    expect(calls).toEqual(before);
    expect(request.jar.setCookie()).toEqual([]);
    // The mutators are not there to call: a change could never be sent.
    expect("set" in session).toBe(false);
    expect("login" in session).toBe(false);
  });

  it("refuses a session cookie sent twice although cookies() shows only one of them", async () => {
    const { request, next, sessions, browser, act } = setup();
    await act((session) => session.login("alice"));
    const mine = browser.header();

    // A sibling subdomain tosses its own copy in front of the victim's.
    request.begin(`${sessions.cookieName}=tossed-value; ${mine}`);
    const session = await next.getSession();
    expect(session.userId).toBeUndefined();
    expect(session.rejected).toBe("duplicate_cookie");
  });

  it("sees what a Server Action of the same request changed, although headers() does not", async () => {
    const { request, next } = setup();
    request.begin("theme=dark");
    await next.withSession(async (session) => {
      await session.login("alice");
      session.set("count", 1);
    });
    // The render after the action: same request, headers() still without the cookie.
    const session = await next.getSession();
    expect(session.userId).toBe("alice");
    expect(session.get("count")).toBe(1);
  });

  it("gives a CSRF token for a stored session only", async () => {
    const { sessions, browser, act, read } = setup();
    expect(await (await read()).csrfToken()).toBeUndefined();

    await act((session) => session.login("alice"));
    const token = await (await read()).csrfToken();
    expect(token).toEqual(expect.any(String));
    const full = await sessions.load(browser.header());
    expect(await full.verifyCsrf(token)).toBe(true);
  });
});
