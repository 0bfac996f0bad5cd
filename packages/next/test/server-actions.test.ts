import { parseSetCookie } from "@tessera/cookie";
import { randomToken } from "@tessera/signing";
import { redirect } from "next/navigation.js";
import { describe, expect, it } from "vitest";
import { Browser, setup, setupStateless } from "./helpers.js";

describe("withSession (Server Actions and Route Handlers)", () => {
  it("sends the session cookie through cookies() with the manager's attributes", async () => {
    const { request, next } = setup();
    request.begin("");
    await next.withSession((session) => session.set("count", 1));
    const lines = request.jar.setCookie();
    expect(lines).toHaveLength(1);
    const cookie = parseSetCookie(lines[0]!)!;
    expect(cookie.name).toBe("__Host-sid");
    expect(cookie.attributes).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
    });
    expect(cookie.attributes.domain).toBeUndefined();
  });

  it("keeps a counter across actions", async () => {
    const { request, next } = setup();
    const browser = new Browser();
    for (let i = 1; i <= 3; i++) {
      request.begin(browser.header());
      const count = await next.withSession((session) => {
        const value = (session.get("count") ?? 0) + 1;
        session.set("count", value);
        return value;
      });
      expect(count).toBe(i);
      browser.apply(request.jar.setCookie());
    }
    request.begin(browser.header());
    expect((await next.getSession()).get("count")).toBe(3);
  });

  it("regenerates the id on login: the cookie from before login names nothing", async () => {
    const { request, next, sessions } = setup();
    const browser = new Browser();
    request.begin("");
    await next.withSession((session) => session.set("count", 1));
    browser.apply(request.jar.setCookie());
    const before = browser.header();

    request.begin(before);
    await next.withSession((session) => session.login("alice", { carryOver: ["count"] }));
    browser.apply(request.jar.setCookie());
    expect(browser.header()).not.toBe(before);
    expect((await sessions.load(browser.header())).userId).toBe("alice");
    expect((await sessions.load(before)).rejected).toBe("unknown_id");
  });

  // Pins the iron-session complaint: a logout followed by redirect() must still clear the cookie.
  it("commits before a redirect() thrown by the action, so a logout sticks", async () => {
    const { request, next, sessions } = setup();
    const browser = new Browser();
    request.begin("");
    await next.withSession((session) => session.login("alice"));
    browser.apply(request.jar.setCookie());
    const copied = browser.header();

    request.begin(copied);
    await expect(
      next.withSession(async (session) => {
        await session.logout();
        redirect("/signed-out");
      }),
    ).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    browser.apply(request.jar.setCookie());
    expect(browser.cookies.size).toBe(0);
    // Revoked in the store too: a copy of the cookie taken before is refused.
    const replay = await sessions.load(copied);
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("unknown_id");
  });

  it("clears every chunk of a stateless session on logout", async () => {
    const { request, next, browser } = setupStateless();
    request.begin("");
    await next.withSession(async (session) => {
      await session.login("alice");
      session.set("blob", [randomToken(1024), randomToken(1024), randomToken(1024)].join(""));
    });
    browser.apply(request.jar.setCookie());
    expect([...browser.cookies.keys()]).toEqual(["__Host-sid.0", "__Host-sid.1"]);
    request.begin(browser.header());
    expect((await next.getSession()).userId).toBe("alice");

    await next.withSession((session) => session.logout());
    browser.apply(request.jar.setCookie());
    expect(browser.cookies.size).toBe(0);
  });

  it("commits nothing when the action fails", async () => {
    const { request, next, calls } = setup();
    request.begin("");
    await expect(
      next.withSession((session) => {
        session.set("count", 1);
        throw new Error("validation failed");
      }),
    ).rejects.toThrow("validation failed");
    expect(request.jar.setCookie()).toEqual([]);
    expect(calls.set).toBe(0);
  });

  it("rethrows a step-up refusal without committing", async () => {
    const { request, next, time } = setup();
    const browser = new Browser();
    request.begin("");
    await next.withSession((session) => session.login("alice"));
    browser.apply(request.jar.setCookie());
    time.advance(10 * 60 * 1000);
    request.begin(browser.header());
    await expect(
      next.withSession((session) => {
        session.requireFresh(300);
        session.set("note", "changed");
      }),
    ).rejects.toMatchObject({ code: "ERR_SESSION_REAUTH_REQUIRED" });
    expect(request.jar.setCookie()).toEqual([]);
  });

  it("keeps flash messages for exactly one later read", async () => {
    const { request, next } = setup();
    const browser = new Browser();
    request.begin("");
    await next.withSession((session) => session.flash("notice", "Saved"));
    browser.apply(request.jar.setCookie());
    request.begin(browser.header());
    expect(await next.withSession((session) => session.consumeFlash("notice"))).toBe("Saved");
    browser.apply(request.jar.setCookie());
    request.begin(browser.header());
    expect(await next.withSession((session) => session.consumeFlash("notice"))).toBeUndefined();
  });
});
