/** Renewal timeout (OWASP "Renewal Timeout") with a grace window for the previous token. */
import { parseSetCookie } from "@tessera/cookie";
import { describe, expect, it } from "vitest";
import { expectEvent, MIN, SEC, setup } from "./helpers.js";

const internals = (s: unknown) => s as { token: string; key: string };
const tokenOf = (lines: string[]) => parseSetCookie(lines[0]!)!.value.split(".")[0]!;

async function renewed(options: Parameters<typeof setup>[0] = {}) {
  const t = setup({ renewAfter: 15 * 60, renewGrace: 60, ...options });
  const first = await t.request(async (s) => {
    await s.login("u1");
    s.set("cart", [1, 2]);
  });
  const old = t.jar.clone();
  const oldKey = internals(first.session).key;
  const oldToken = internals(first.session).token;
  return { ...t, old, oldKey, oldToken };
}

describe("renewAfter", () => {
  it("+14:59 keeps the token; +15:01 issues a new one with the data kept", async () => {
    const { request, clock, oldKey, events } = await renewed();
    clock.advance(14 * MIN + 59 * SEC);
    const same = await request((s) => s.get("cart"));
    expect(internals(same.session).key).toBe(oldKey);
    clock.advance(2 * SEC);
    const { session, setCookies } = await request((s) => s.get("cart"));
    expect(setCookies).toHaveLength(1);
    expect(internals(session).key).not.toBe(oldKey);
    expect(tokenOf(setCookies)).toBe(internals(session).token);
    expect(session.get("cart")).toEqual([1, 2]);
    expect(session.userId).toBe("u1");
    expectEvent(events, {
      type: "regenerated",
      previous: oldKey,
      session: internals(session).key,
    });
  });

  it("old token inside the grace window → the current session and the new cookie; after it → renewal_reuse", async () => {
    const { request, sessions, clock, old, jar, oldKey, events } = await renewed();
    clock.advance(15 * MIN + SEC); // +15:01
    const { session: current } = await request((s) => s.set("theme", "dark"));
    const newToken = internals(current).token;
    clock.advance(29 * SEC); // +15:30
    const late = await sessions.load(old.header());
    expect(late.rejected).toBeUndefined();
    expect(late.userId).toBe("u1");
    expect(late.get("theme")).toBe("dark");
    expect(internals(late).key).toBe(internals(current).key);
    const lines = await sessions.commit(late);
    expect(tokenOf(lines)).toBe(newToken);
    clock.advance(35 * SEC); // +16:05
    const replay = await sessions.load(old.header());
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("renewal_reuse");
    expectEvent(events, {
      type: "renewal_reuse",
      session: oldKey,
      current: internals(current).key,
    });
    expectEvent(events, { type: "rejected", reason: "renewal_reuse" });
    // The new token is unaffected.
    expect((await sessions.load(jar.header())).userId).toBe("u1");
  });

  it("the store never holds the new token in plaintext, only its hash", async () => {
    const { request, clock, spy, oldKey } = await renewed();
    clock.advance(16 * MIN);
    const { session } = await request((s) => s.get("cart"));
    const token = internals(session).token;
    const forward = (await spy.inner.get(oldKey))!;
    expect(forward.value.startsWith("~fwd1.")).toBe(true);
    expect(forward.value).not.toContain(token);
    expect(forward.userId).toBeUndefined();
    const entry = (await spy.inner.get(internals(session).key))!;
    expect(entry.value).not.toContain(token);
  });

  it("a forward moved under another key does not open", async () => {
    const { request, clock, spy, oldKey, sessions } = await renewed();
    clock.advance(16 * MIN);
    await request((s) => s.get("cart"));
    const victim = await renewed();
    const forward = (await spy.inner.get(oldKey))!;
    await victim.spy.inner.set(victim.oldKey, {
      value: forward.value,
      expiresAt: forward.expiresAt,
    });
    const s = await victim.sessions.load(victim.old.header());
    expect(s.rejected).toBe("malformed");
    expect(sessions).toBeDefined();
  });

  it("a request that loaded before the renewal keeps its change (follows the forward)", async () => {
    const { request, sessions, clock, old, jar } = await renewed();
    clock.advance(16 * MIN);
    const slow = await sessions.load(old.header());
    slow.set("theme", "light");
    // Another request renews first.
    await request((s) => s.set("n", 1));
    const lines = await sessions.commit(slow);
    expect(tokenOf(lines)).toBe(jar.cookies.get("__Host-sid")!.split(".")[0]);
    const now = await sessions.load(jar.header());
    expect(now.get("theme")).toBe("light");
    expect(now.get("n")).toBe(1);
  });

  it("off by default: no issuedAt, no renewal", async () => {
    const { request, clock, spy } = setup();
    const first = await request((s) => s.set("n", 1));
    clock.advance(20 * MIN);
    const { session, setCookies } = await request((s) => s.set("n", 2));
    expect(internals(session).key).toBe(internals(first.session).key);
    expect(setCookies).toEqual([]);
    expect((await spy.inner.get(internals(session).key))!.value).not.toContain("issuedAt");
  });

  it("validates its options and needs a store", () => {
    expect(() => setup({ renewAfter: 0 })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
    expect(() => setup({ renewAfter: 60, renewGrace: -1 })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
    expect(() => setup({ renewAfter: 60 }, true)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });

  it("bearer mode hands out the renewed token", async () => {
    const { sessions, clock } = setup({ renewAfter: 60, tokenMode: "authorization" });
    const s = await sessions.load(null);
    await s.login("u1");
    const { token } = await sessions.commitHeaders(s);
    clock.advance(2 * MIN);
    const again = await sessions.load(`Bearer ${token}`);
    const result = await sessions.commitHeaders(again);
    expect(result.token).toBeDefined();
    expect(result.token).not.toBe(token);
    expect((await sessions.load(`Bearer ${result.token}`)).userId).toBe("u1");
  });
});
