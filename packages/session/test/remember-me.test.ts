/** "Keep me signed in" per session: `login(id, { persistent })` and `setPersistent`. */
import { parseSetCookie } from "@tessera/cookie";
import { describe, expect, it } from "vitest";
import { errorCode, HOUR, MIN, setup } from "./helpers.js";

/** The Max-Age of the session cookie a commit sent; undefined for a browser-session cookie. */
function maxAge(setCookies: readonly string[]): number | undefined {
  expect(setCookies).toHaveLength(1);
  return parseSetCookie(setCookies[0]!)!.attributes.maxAge;
}

describe.each([
  ["stateful", false],
  ["stateless", true],
] as const)("remember me per session (%s)", (_, stateless) => {
  it("login({ persistent: true }) sends Max-Age and later commits keep it", async () => {
    const { request, clock } = setup({}, stateless);
    const login = await request((s) => s.login("u1", { persistent: true }));
    expect(login.session.persistent).toBe(true);
    expect(maxAge(login.setCookies)).toBe(1800);
    clock.advance(5 * MIN);
    const next = await request((s) => s.set("n", 1));
    expect(next.session.persistent).toBe(true);
    expect(maxAge(next.setCookies)).toBe(1800);
  });

  it("without it, the configured default stays: a browser-session cookie", async () => {
    const { request } = setup({}, stateless);
    const login = await request((s) => s.login("u1"));
    expect(login.session.persistent).toBe(false);
    expect(maxAge(login.setCookies)).toBeUndefined();
  });

  it("never extends the idle or absolute deadline", async () => {
    const { request, clock, sessions, jar } = setup(
      { idleTimeout: HOUR / 1000, absoluteTimeout: (2 * HOUR) / 1000 },
      stateless,
    );
    await request((s) => s.login("u1", { persistent: true }));
    clock.advance(45 * MIN);
    expect(maxAge((await request((s) => s.set("n", 0))).setCookies)).toBe(3600);
    clock.advance(45 * MIN);
    // Half an hour of the absolute window is left: Max-Age is that, not the idle hour.
    expect(maxAge((await request((s) => s.set("n", 1))).setCookies)).toBe(1800);
    clock.advance(30 * MIN);
    const late = await sessions.load(jar.header());
    expect(late.userId).toBeUndefined();
    // A store drops the entry at its deadline (unknown); a sealed cookie is judged expired.
    expect(late.rejected).toBe(stateless ? "expired_absolute" : "unknown_id");
  });

  it("setPersistent(true) later makes the next commit send Max-Age, with nothing else changed", async () => {
    const { request } = setup({}, stateless);
    await request((s) => s.login("u1"));
    const later = await request((s) => s.setPersistent(true));
    expect(maxAge(later.setCookies)).toBe(1800);
    expect(maxAge((await request((s) => s.set("n", 2))).setCookies)).toBe(1800);
  });

  it("setPersistent(false) turns the cookie back into a browser-session cookie at once", async () => {
    const { request } = setup({}, stateless);
    await request((s) => s.login("u1", { persistent: true }));
    const off = await request((s) => s.setPersistent(false));
    expect(maxAge(off.setCookies)).toBeUndefined();
    expect(off.session.persistent).toBe(false);
  });

  it("overrides cookie.persistent: true for one session", async () => {
    const { request } = setup({ cookie: { persistent: true } }, stateless);
    const login = await request((s) => s.login("u1", { persistent: false }));
    expect(maxAge(login.setCookies)).toBeUndefined();
    // A changed stored session re-sends only a persistent cookie; a sealed one is re-sealed.
    const next = (await request((s) => s.set("n", 1))).setCookies;
    const ages = next.map((line) => parseSetCookie(line)!.attributes.maxAge);
    expect(ages).toEqual(stateless ? [undefined] : []);
  });

  it("a login as another user drops the previous user's choice; the same user keeps it", async () => {
    const { request } = setup({}, stateless);
    await request((s) => s.login("u1", { persistent: true }));
    const same = await request((s) => s.login("u1"));
    expect(maxAge(same.setCookies)).toBe(1800);
    const other = await request((s) => s.login("u2"));
    expect(other.session.persistent).toBe(false);
    expect(maxAge(other.setCookies)).toBeUndefined();
  });

  it("bad input is a typed error naming the value, and changes nothing", async () => {
    const { request } = setup({}, stateless);
    await request((s) => s.login("u1"));
    await request(async (s) => {
      const before = s.id;
      const login = s.login("u2", { persistent: "yes" as unknown as boolean });
      await expect(login).rejects.toMatchObject({
        code: "ERR_SESSION_INVALID_ARGUMENT",
        message: expect.stringContaining('persistent must be true or false: "yes"'),
      });
      expect(s.userId).toBe("u1");
      expect(s.id).toBe(before);
      expect(await errorCode(() => s.setPersistent(1 as unknown as boolean))).toBe(
        "ERR_SESSION_INVALID_ARGUMENT",
      );
      expect(s.persistent).toBe(false);
    });
  });
});

describe("remember me and concurrent requests", () => {
  it("a setPersistent survives the merge with a concurrent write", async () => {
    const { request, sessions, jar, loadTwice } = setup();
    await request((s) => s.login("u1"));
    const [a, b] = await loadTwice();
    a.setPersistent(true);
    b.set("n", 1);
    await sessions.commit(b);
    expect(maxAge(await sessions.commit(a))).toBe(1800);
    const after = await sessions.load(jar.header());
    expect(after.persistent).toBe(true);
    expect(after.get("n")).toBe(1);
  });
});
