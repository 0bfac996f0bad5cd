import { parseSetCookie } from "@tessera/cookie";
import { randomToken } from "@tessera/signing";
import { redirect } from "next/navigation.js";
import { describe, expect, it } from "vitest";
import { setup, setupStateless } from "./helpers.js";

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
    const { act, read } = setup();
    for (let i = 1; i <= 3; i++) {
      const count = await act((session) => {
        const value = (session.get("count") ?? 0) + 1;
        session.set("count", value);
        return value;
      });
      expect(count).toBe(i);
    }
    expect((await read()).get("count")).toBe(3);
  });

  it("regenerates the id on login: the cookie from before login names nothing", async () => {
    const { sessions, browser, act } = setup();
    await act((session) => session.set("count", 1));
    const before = browser.header();

    await act((session) => session.login("alice", { carryOver: ["count"] }));
    expect(browser.header()).not.toBe(before);
    expect((await sessions.load(browser.header())).userId).toBe("alice");
    expect((await sessions.load(before)).rejected).toBe("unknown_id");
  });

  // Pins the iron-session complaint: a logout followed by redirect() must still clear the cookie.
  it("commits before a redirect() thrown by the action, so a logout sticks", async () => {
    const { sessions, browser, act } = setup();
    await act((session) => session.login("alice"));
    const copied = browser.header();

    await expect(
      act(async (session) => {
        await session.logout();
        redirect("/signed-out");
      }),
    ).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    expect(browser.cookies.size).toBe(0);
    // Revoked in the store too: a copy of the cookie taken before is refused.
    const replay = await sessions.load(copied);
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("unknown_id");
  });

  it("clears every chunk of a stateless session on logout", async () => {
    const { browser, act, read } = setupStateless();
    await act(async (session) => {
      await session.login("alice");
      session.set("blob", [randomToken(1024), randomToken(1024), randomToken(1024)].join(""));
    });
    expect([...browser.cookies.keys()]).toEqual(["__Host-sid.0", "__Host-sid.1"]);
    expect((await read()).userId).toBe("alice");

    await act((session) => session.logout());
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
    const { request, time, act } = setup();
    await act((session) => session.login("alice"));
    time.advance(10 * 60 * 1000);
    await expect(
      act((session) => {
        session.requireFresh(300);
        session.set("note", "changed");
      }),
    ).rejects.toMatchObject({ code: "ERR_SESSION_REAUTH_REQUIRED" });
    expect(request.jar.setCookie()).toEqual([]);
  });

  it("keeps flash messages for exactly one later read", async () => {
    const { act } = setup();
    await act((session) => session.flash("notice", "Saved"));
    expect(await act((session) => session.consumeFlash("notice"))).toBe("Saved");
    expect(await act((session) => session.consumeFlash("notice"))).toBeUndefined();
  });
});
