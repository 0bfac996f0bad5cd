/**
 * Privilege changes regenerate the id (OWASP "Renew the Session ID After Any
 * Privilege Level Change"); only a full re-authentication moves authTime.
 */
import { hashToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { expectEvent, HOUR, MIN, setup } from "./helpers.js";

const internals = (s: unknown) => s as { token: string; key: string };

describe("elevate() and login() regenerate the id", () => {
  it("elevate: new id, old id dead at once, createdAt/authTime/userId/data kept", async () => {
    // The store's clock lags so the manager's own absolute check is what ends the session.
    const { request, clock, events, spy, sessions, jar } = setup(
      { idleTimeout: 3500, absoluteTimeout: 3600 },
      false,
      HOUR,
    );
    await request(async (s) => {
      await s.login("u1");
      s.set("cart", [1]);
    });
    const before = await sessions.load(jar.header());
    const oldKey = internals(before).key;
    const { createdAt, authTime } = before;
    clock.advance(10 * MIN);
    const old = jar.clone();
    const { session } = await request((s) => s.elevate());
    expect(internals(session).key).not.toBe(oldKey);
    expect(await spy.inner.get(oldKey)).toBeNull();
    expect(session.createdAt).toBe(createdAt);
    expect(session.authTime).toBe(authTime);
    expect(session.userId).toBe("u1");
    expect(session.get("cart")).toEqual([1]);
    expectEvent(events, { type: "regenerated", previous: oldKey });
    const replay = await sessions.load(old.header());
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("unknown_id");
    // The absolute deadline still runs from the login, not from the elevation.
    clock.advance(50 * MIN);
    const later = await sessions.load(jar.header());
    expect(later.rejected).toBe("expired_absolute");
    expect(hashToken(internals(session).token)).toBe(internals(session).key);
  });

  it("login: a full re-authentication moves authTime and createdAt", async () => {
    const { request, clock } = setup();
    const first = await request((s) => s.login("u1"));
    clock.advance(10 * MIN);
    const { session } = await request((s) => s.login("u1"));
    expect(session.authTime).toBe(first.session.authTime! + 10 * MIN);
    expect(session.createdAt).toBe(first.session.createdAt + 10 * MIN);
    expect(session.isFresh(60)).toBe(true);
  });

  it("elevate keeps freshness as it was: isFresh still measures from the login", async () => {
    const { request, clock } = setup();
    await request((s) => s.login("u1"));
    clock.advance(10 * MIN);
    const { session } = await request((s) => s.elevate());
    expect(session.isFresh(300)).toBe(false);
    expect(session.isFresh(900)).toBe(true);
  });

  it("elevate on an anonymous session throws ERR_SESSION_REAUTH_REQUIRED and changes nothing", async () => {
    const { sessions } = setup();
    const s = await sessions.load("");
    s.set("n", 1);
    await expect(s.elevate()).rejects.toMatchObject({ code: "ERR_SESSION_REAUTH_REQUIRED" });
    expect(s.get("n")).toBe(1);
  });

  it("works in stateless mode too: a new internal id", async () => {
    const { request } = setup({}, true);
    const first = await request((s) => s.login("u1"));
    const before = internals(first.session).key;
    const { session } = await request((s) => s.elevate());
    expect(internals(session).key).not.toBe(before);
    expect(session.authTime).toBe(first.session.authTime);
  });
});
