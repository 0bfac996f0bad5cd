import { parseSetCookie } from "@tessera/cookie";
import { createKeyring, randomToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { HOUR, Jar, MIN, SEC, setup } from "./helpers.js";

describe("stateless mode: sealed cookies (JWE dir + A256GCM)", () => {
  it("same API: data, login, flash and CSRF round-trip through the sealed cookie", async () => {
    const { request, jar } = setup({ cookie: { name: "__Host-sess" } }, true);
    const first = await request(async (s) => {
      s.set("cart", [1]);
      s.flash("notice", "hi");
      await s.login("u1", { carryOver: ["cart"] });
      return s.csrfToken();
    });
    expect(first.setCookies).toHaveLength(1);
    const value = jar.cookies.get("__Host-sess")!;
    expect(value.split(".")).toHaveLength(5);
    expect(`__Host-sess=${value}`.length).toBeLessThanOrEqual(4096);
    const { session } = await request(async (s) => {
      expect(await s.verifyCsrf(first.result)).toBe(true);
    });
    expect(session.userId).toBe("u1");
    expect(session.get("cart")).toEqual([1]);
    expect(session.createdAt).toBeGreaterThan(0);
  });

  it("an unchanged session re-seals at most once per touchAfter", async () => {
    const { request, clock } = setup({ touchAfter: 60 }, true);
    await request((s) => s.set("n", 1));
    clock.advance(30 * SEC);
    expect((await request(() => {})).setCookies).toEqual([]);
    clock.advance(31 * SEC);
    expect((await request(() => {})).setCookies).toHaveLength(1);
  });

  it("a value sealed for one cookie name does not open under another", async () => {
    const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
    const a = createSessions({ keys, cookie: { name: "__Host-sess" } });
    const b = createSessions({ keys, cookie: { name: "__Host-other" } });
    const s = await a.load("");
    s.set("n", 1);
    const value = parseSetCookie((await a.commit(s))[0]!)!.value;
    expect((await b.load(`__Host-other=${value}`)).rejected).toBe("bad_signature");
  });

  it("absolute timeout enforced from the sealed record whatever the client keeps", async () => {
    const { request, clock, jar } = setup({}, true);
    await request((s) => s.set("n", 1));
    for (let t = 0; t < 11 * 60 + 55; t += 5) {
      clock.advance(5 * MIN);
      await request((s) => s.set("n", t));
    }
    clock.advance(4 * MIN); // 11:59 after creation
    expect((await request(() => {})).session.rejected).toBeUndefined();
    const held = jar.clone();
    clock.advance(MIN + SEC); // 12:00:01
    expect((await request(() => {}, held)).session.rejected).toBe("expired_absolute");
  });

  it("idle timeout from lastSeenAt, and activity never extends exp", async () => {
    const { request, clock, jar, sessions } = setup({}, true);
    await request((s) => s.set("n", 1));
    const stale = jar.clone();
    clock.advance(31 * MIN);
    expect((await sessions.load(stale.header())).rejected).toBe("expired_idle");
  });

  it("revocation is off: a logged-out copy replays until it expires (documented)", async () => {
    const { request, jar, sessions, clock } = setup({}, true);
    await request((s) => s.login("u1"));
    const copy = jar.clone();
    await request((s) => s.logout());
    expect((await sessions.load(copy.header())).userId).toBe("u1");
    clock.advance(31 * MIN);
    expect((await sessions.load(copy.header())).userId).toBeUndefined();
  });

  it("large payloads are chunked, each cookie ≤ 4096 bytes, and reassemble", async () => {
    const { request, jar } = setup({ maxCookieSize: 16_384 }, true);
    const big = randomToken(32).repeat(150); // ~6.4 KB of incompressible-ish text
    const { setCookies } = await request((s) => s.set("blob", big));
    expect(setCookies.length).toBeGreaterThan(1);
    for (const line of setCookies) {
      const p = parseSetCookie(line)!;
      expect(`${p.name}=${p.value}`.length).toBeLessThanOrEqual(4096);
      expect(p.name).toMatch(/^__Host-sid\.\d$/);
    }
    const { session } = await request(() => {});
    expect(session.get("blob")).toBe(big);
    // shrinking back to one cookie clears the stale chunks
    const small = await request((s) => s.set("blob", "x"));
    expect(
      small.setCookies.some((l) => l.startsWith("__Host-sid=") && !l.includes("Max-Age=0")),
    ).toBe(true);
    expect([...jar.cookies.keys()]).toEqual(["__Host-sid"]);
  });

  it.each([
    ["missing chunk", (c: Map<string, string>) => c.delete("__Host-sid.1")],
    ["extra chunk", (c: Map<string, string>) => c.set("__Host-sid.9", "AAAA")],
    [
      "reordered chunks",
      (c: Map<string, string>) => {
        const a = c.get("__Host-sid.1")!;
        c.set("__Host-sid.1", c.get("__Host-sid.2") ?? a.slice(1));
        c.set("__Host-sid.2", a);
      },
    ],
  ])("a %s yields no session", async (_, mutate) => {
    const { request, jar, sessions } = setup({ maxCookieSize: 16_384 }, true);
    await request((s) => s.set("blob", randomToken(32).repeat(200)));
    const tampered = jar.clone();
    mutate(tampered.cookies);
    const s = await sessions.load(tampered.header());
    expect(s.get("blob")).toBeUndefined();
    expect(s.rejected).toMatch(/^(malformed|bad_signature)$/);
  });

  it("a session that cannot fit the cookie chunks throws ERR_SESSION_TOO_LARGE", async () => {
    const { sessions } = setup({ maxSize: 16_777_216, maxCookieSize: 65_536 }, true);
    const s = await sessions.load("");
    s.set("blob", randomToken(32).repeat(6000)); // ~260 KB sealed: far past the largest budget
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
  });

  it("key rotation: a k1 seal opens under [k2, k1] and is re-sealed with k2", async () => {
    const k1 = { id: "k1", secret: randomToken(32) };
    const k2 = { id: "k2", secret: randomToken(32) };
    const events: string[] = [];
    const old = createSessions({ keys: createKeyring([k1]) });
    const rotated = createSessions({
      keys: createKeyring([k2, k1]),
      onEvent: (e) => events.push(e.type === "rejected" ? e.reason : e.type),
    });
    const removed = createSessions({
      keys: createKeyring([k2]),
      onEvent: (e) => events.push(e.type === "rejected" ? e.reason : e.type),
    });
    const s = await old.load("");
    s.set("n", 1);
    const jar = new Jar();
    jar.apply(await old.commit(s));
    const header = jar.header();
    const loaded = await rotated.load(header);
    expect(loaded.get("n")).toBe(1);
    const resealed = await rotated.commit(loaded);
    expect(resealed).toHaveLength(1);
    const kid = JSON.parse(
      atob(
        parseSetCookie(resealed[0]!)!.value.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/"),
      ),
    );
    expect(kid.kid).toBe("k2");
    expect((await removed.load(header)).rejected).toBe("bad_signature");
    expect(events).toContain("bad_signature");
  });

  it("duplicate sealed cookies → no session", async () => {
    const { request, jar, sessions } = setup({}, true);
    await request((s) => s.set("n", 1));
    const v = jar.cookies.get("__Host-sid")!;
    expect((await sessions.load(`__Host-sid=${v}; __Host-sid=${v}`)).rejected).toBe(
      "duplicate_cookie",
    );
  });

  it("listing and revoking users is unsupported and says why", async () => {
    const { sessions } = setup({}, true);
    await expect(sessions.listUserSessions("u1")).rejects.toMatchObject({
      code: "ERR_SESSION_UNSUPPORTED",
    });
  });

  it("absolute deadline hour math uses the injected clock", async () => {
    const { request, clock } = setup({ absoluteTimeout: HOUR / 1000 }, true);
    await request((s) => s.set("n", 1));
    clock.advance(HOUR);
    expect((await request(() => {})).session.rejected).toBe("expired_absolute");
  });
});

describe("stateful key rotation", () => {
  it("a cookie signed with k1 is accepted under [k2, k1] and re-issued with k2", async () => {
    const k1 = { id: "k1", secret: randomToken(32) };
    const k2 = { id: "k2", secret: randomToken(32) };
    const { MemoryStore } = await import("@tessera/store");
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const a = createSessions({ keys: createKeyring([k1]), store });
    const b = createSessions({ keys: createKeyring([k2, k1]), store });
    const s = await a.load("");
    s.set("n", 1);
    const v1 = parseSetCookie((await a.commit(s))[0]!)!.value;
    expect(v1.split(".")[1]).toBe("k1");
    const loaded = await b.load(`__Host-sid=${v1}`);
    expect(loaded.get("n")).toBe(1);
    const out = await b.commit(loaded);
    expect(parseSetCookie(out[0]!)!.value.split(".")[1]).toBe("k2");
    expect(parseSetCookie(out[0]!)!.value.split(".")[0]).toBe(v1.split(".")[0]);
  });
});
