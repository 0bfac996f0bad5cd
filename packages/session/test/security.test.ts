/**
 * The session manager's security rules, one block per rule, each named by
 * what it guarantees (OWASP Session Management Cheat Sheet, ASVS V3/V7).
 * Rules that do not apply to this design are listed in the README's
 * security section with the reason.
 */
import { parseSetCookie } from "@tessera/cookie";
import { hashToken, randomToken, sign } from "@tessera/signing";
import { describe, expect, it, vi } from "vitest";
import { encodeRecord } from "../src/lib/record.js";
import { withSessions } from "../src/with-sessions.js";
import { expectEvent, HOUR, Jar, MIN, setup } from "./helpers.js";

const NAME = "__Host-sid";

function internals(session: unknown): { token: string; key: string } {
  return session as { token: string; key: string };
}

describe("identifiers come from the CSPRNG, 256 bits, base64url", () => {
  it("100,000 ids: unique, 43 chars of base64url, uniform characters, 32 CSPRNG bytes", async () => {
    const { sessions } = setup();
    // @tessera/signing draws from node:crypto where the runtime has it (Node here).
    const getRandomValues = vi.spyOn(process.getBuiltinModule("node:crypto"), "randomFillSync");
    const mathRandom = vi.spyOn(Math, "random");
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const s = await sessions.load("");
      // mints the identity a commit would store, without the write
      (s as unknown as { ensureIdentity(): string }).ensureIdentity();
      const { token } = internals(s);
      seen.add(token);
      // The last character carries only 4 random bits; count the 42 full sextets.
      for (let j = 0; j < 42; j++) counts.set(token[j]!, (counts.get(token[j]!) ?? 0) + 1);
    }
    expect(seen.size).toBe(100_000);
    for (const token of [...seen].slice(0, 1000)) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expected = (100_000 * 42) / 64;
    let chi = 0;
    for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      chi += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
    }
    // chi-square, 63 degrees of freedom: p = 0.001 at 103.44
    expect(chi).toBeLessThan(103.44);
    expect(getRandomValues).toHaveBeenCalled();
    for (const [buffer] of getRandomValues.mock.calls.slice(0, 100)) {
      expect((buffer as Uint8Array).length).toBe(32);
    }
    expect(mathRandom).not.toHaveBeenCalled();
    getRandomValues.mockRestore();
    mathRandom.mockRestore();
  }, 30_000);
});

describe("strict mode: a well-formed, correctly signed but never-issued id is not adopted", () => {
  it("issues a new id and stores nothing under the planted one", async () => {
    const { sessions, keys, events, spy } = setup();
    const planted = randomToken(32);
    const header = `${NAME}=${sign(planted, keys, { purpose: "cookie", context: NAME })}`;
    const s = await sessions.load(header);
    expect(s.rejected).toBe("unknown_id");
    s.set("n", 1);
    const [line] = await sessions.commit(s);
    const issued = parseSetCookie(line!)!.value.split(".")[0];
    expect(issued).not.toBe(planted);
    expect(await spy.inner.get(hashToken(planted))).toBeNull();
    expectEvent(events, {
      type: "rejected",
      reason: "unknown_id",
      session: hashToken(planted),
    });
  });
});

describe("the cookie is validated (length, alphabet, MAC) before any store call", () => {
  const valid = () => `${randomToken(32)}.k1.${randomToken(32)}`;
  it.each([
    // The whole header is searched, so a 10 KB value is seen, and refused by its length.
    ["huge", () => "A".repeat(10_000), "malformed"],
    ["short", () => "abc", "malformed"],
    ["quoted", () => `"${valid()}"`, "malformed"],
    ["percent-encoded dot", () => `${valid()}%2E`, "malformed"],
    ["NUL", () => `${valid().slice(0, 42)}\u0000`, "malformed"],
    ["CRLF injection", () => "x\r\nflush_all", "malformed"],
    ["space", () => "a b", "malformed"],
    ["glob", () => "*", "malformed"],
    ["quote", () => "'", "malformed"],
    ["251 bytes", () => "a".repeat(251), "malformed"],
    ["forged MAC", () => valid(), "bad_signature"],
  ])("%s → no session, store.get never called", async (_, value, reason) => {
    const { sessions, spy } = setup();
    const s = await sessions.load(`${NAME}=${value()}`);
    expect(s.rejected).toBe(reason);
    expect(s.isNew).toBe(true);
    expect(spy.calls.get).toBe(0);
  });
});

describe("fixation: login regenerates the id (CVE-2022-25896, CVE-2023-29019)", () => {
  it("a planted anonymous id is replaced on login and is anonymous afterwards", async () => {
    const { request, jar, sessions } = setup();
    await request((s) => s.set("cart", [1])); // attacker's anonymous session S0
    const planted = jar.clone();
    const { session } = await request((s) => s.login("victim"), planted); // victim logs in with S0
    expect(session.userId).toBe("victim");
    expect(planted.header()).not.toBe(jar.header());
    const attacker = await sessions.load(jar.header()); // attacker replays S0
    expect(attacker.userId).toBeUndefined();
    expect(attacker.rejected).toBe("unknown_id");
  });
});

describe("regenerate invalidates the old id at once", () => {
  it("old lookup returns nothing before commit", async () => {
    const { request, jar, sessions } = setup();
    await request((s) => s.set("n", 1));
    const old = jar.header();
    const s = await sessions.load(old);
    await s.regenerate();
    expect((await sessions.load(old)).rejected).toBe("unknown_id");
  });
});

describe("privilege changes regenerate; createdAt stays unless it is a full re-authentication", () => {
  it("regenerate keeps createdAt and authTime; login moves both", async () => {
    const { request, clock } = setup();
    const first = await request((s) => s.login("u1"));
    const created = first.session.createdAt;
    clock.advance(10 * MIN);
    const elevated = await request(async (s) => {
      await s.regenerate(); // e.g. role elevation or password change
      s.set("role", "admin");
    });
    expect(elevated.session.createdAt).toBe(created);
    expect(elevated.session.authTime).toBe(created);
    clock.advance(10 * MIN);
    const reauth = await request((s) => s.login("u1"));
    expect(reauth.session.authTime).toBe(clock.now());
    expect(reauth.session.createdAt).toBe(clock.now());
  });
});

describe("expiry never trusts the client (GHSA-pj27-2xvp-4qxg)", () => {
  it("a persistent cookie still held by the browser does not outlive the server deadline", async () => {
    const { request, clock, jar } = setup({ cookie: { persistent: true } }, false, HOUR);
    await request((s) => s.set("n", 1));
    clock.advance(31 * MIN);
    // The jar ignores Max-Age, as a malicious client would.
    const { session } = await request(() => {}, jar);
    expect(session.rejected).toBe("expired_idle");
  });

  it("restoring a record never recomputes deadlines from cookie options", async () => {
    const { request, clock, sessions, jar } = setup({}, false, 24 * HOUR);
    await request((s) => s.set("n", 1));
    clock.advance(13 * HOUR);
    expect((await sessions.load(jar.header())).rejected).toMatch(/^expired_/);
  });
});

describe("logout deletes on the server first, then clears the cookie", () => {
  it("deletes, clears with identical Path, marks no-store through the web helper", async () => {
    const { sessions } = setup();
    const jar = new Jar();
    const login = withSessions(sessions, async (_req, s) => {
      await s.login("u1");
      return new Response("in");
    });
    const logout = withSessions(sessions, async (_req, s) => {
      await s.logout();
      return new Response("out");
    });
    const r1 = await login(new Request("https://app.test/login"));
    jar.apply(r1.headers.getSetCookie());
    const old = jar.header();
    const r2 = await logout(new Request("https://app.test/logout", { headers: { cookie: old } }));
    const cleared = parseSetCookie(r2.headers.getSetCookie()[0]!)!;
    expect(cleared.attributes).toMatchObject({ maxAge: 0, path: "/" });
    expect(r2.headers.get("cache-control")).toBe("no-store");
    expect((await sessions.load(old)).rejected).toBe("unknown_id");
  });
});

describe("maxSessionsPerUser", () => {
  async function loginFrom(sessions: ReturnType<typeof setup>["sessions"], ua: string) {
    const s = await sessions.load("", { userAgent: ua });
    await s.login("u1");
    return sessions.commit(s);
  }

  it("evict_oldest: the 4th login removes the least recently active session", async () => {
    const { sessions, clock, events } = setup({ maxSessionsPerUser: 3 });
    for (const ua of ["A", "B", "C"]) {
      await loginFrom(sessions, ua);
      clock.advance(MIN);
    }
    await loginFrom(sessions, "D");
    const list = await sessions.listUserSessions("u1");
    expect(list.map((s) => s.userAgent).sort()).toEqual(["B", "C", "D"]);
    expectEvent(events, { type: "destroyed", reason: "evicted" });
  });

  it("reject: the 4th login throws ERR_SESSION_LIMIT and leaves the session untouched", async () => {
    const { sessions, request } = setup({ maxSessionsPerUser: 3, sessionLimit: "reject" });
    for (const ua of ["A", "B", "C"]) await loginFrom(sessions, ua);
    await request(async (s) => {
      s.set("cart", [1]);
      await expect(s.login("u1")).rejects.toMatchObject({ code: "ERR_SESSION_LIMIT" });
      expect(s.userId).toBeUndefined();
      expect(s.get("cart")).toEqual([1]);
    });
    expect(await sessions.listUserSessions("u1")).toHaveLength(3);
  });

  it("a re-login of the same session does not count against the limit", async () => {
    const { request } = setup({ maxSessionsPerUser: 1, sessionLimit: "reject" });
    await request((s) => s.login("u1"));
    await request((s) => s.login("u1"));
  });
});

describe("binding signal (log policy)", () => {
  it("a different user agent or network on the same session emits binding_changed and keeps it", async () => {
    const { sessions, events } = setup();
    const s = await sessions.load("", { userAgent: "Firefox", ip: "203.0.113.7" });
    await s.login("u1");
    const cookie = (await sessions.commit(s))[0]!.split(";")[0]!;
    const sameNet = await sessions.load(cookie, { userAgent: "Firefox", ip: "203.0.99.1" });
    await sessions.commit(sameNet);
    expect(events.some((e) => e.type === "binding_changed")).toBe(false);
    const moved = await sessions.load(cookie, { userAgent: "curl/8", ip: "198.51.100.9" });
    expect(moved.userId).toBe("u1");
    expect(events.at(-1)).toMatchObject({ type: "binding_changed", changed: ["userAgent", "ip"] });
    await sessions.commit(moved);
    const [info] = await sessions.listUserSessions("u1");
    expect(info).toMatchObject({ userAgent: "curl/8", ip: "198.51.100.9" });
  });
});

describe("concurrent changes to different keys are merged; security fields never revert", () => {
  it("A sets cart, B sets theme: both survive; userId and authTime intact", async () => {
    const { request, jar, sessions, loadTwice } = setup();
    await request((s) => s.login("u1"));
    const [a, b] = await loadTwice();
    a.set("cart", [1]);
    b.set("theme", "dark");
    await sessions.commit(a);
    await sessions.commit(b);
    const final = await sessions.load(jar.header());
    expect(final.toJSON()).toMatchObject({ cart: [1], theme: "dark" });
    expect(final.userId).toBe("u1");
    expect(final.authTime).toBe(a.authTime);
  });
});

describe("a save after logout does not resurrect the session", () => {
  it("L loads, M logs out, L saves: entry stays deleted, no cookie re-issued", async () => {
    const { request, jar, sessions, spy, events } = setup();
    await request((s) => s.login("u1"));
    const long = await sessions.load(jar.header());
    const logout = await sessions.load(jar.header());
    await logout.logout();
    await sessions.commit(logout);
    long.set("cart", [9]);
    const setCookies = await sessions.commit(long);
    expect(setCookies).toEqual([]);
    expect(long.isDestroyed).toBe(true);
    expect(await spy.inner.get(internals(long).key)).toBeNull();
    expectEvent(events, { reason: "concurrent_destroy" });
  });
});

describe("no secrets in events or errors", () => {
  it("no event or error message contains a raw token, cookie value, CSRF token or secret", async () => {
    const secret = randomToken(32);
    const { createKeyring } = await import("@tessera/signing");
    const keys = createKeyring([{ id: "k1", secret }]);
    const { request, events, jar, sessions, spy, clock } = setup({ keys }, false, HOUR);
    const secrets: string[] = [secret];
    const messages: string[] = [];
    const note = (s: unknown) => secrets.push(internals(s).token);
    const r1 = await request(async (s) => {
      s.set("n", 1);
      secrets.push(await s.csrfToken());
    });
    note(r1.session);
    secrets.push(jar.cookies.get(NAME)!);
    const r2 = await request((s) => s.login("u1"));
    note(r2.session);
    secrets.push(jar.cookies.get(NAME)!);
    await sessions.load(`${NAME}=${jar.cookies.get(NAME)}x`);
    await sessions.load(`${NAME}=a; ${NAME}=b`);
    clock.advance(2 * HOUR);
    await sessions.load(jar.header());
    spy.fail.add("get");
    try {
      await sessions.load(`${NAME}=${secrets[2]}`);
    } catch (error) {
      messages.push(String(error), JSON.stringify(error));
    }
    try {
      const s = await sessions.load("");
      s.set("blob", "x".repeat(70_000));
      await sessions.commit(s);
    } catch (error) {
      messages.push(String(error));
    }
    const haystack = JSON.stringify(events) + messages.join("\n");
    expect(events.length).toBeGreaterThan(5);
    for (const value of secrets) {
      expect(value.length).toBeGreaterThan(20);
      expect(haystack).not.toContain(value);
    }
  });
});

describe("a tampered cookie yields an anonymous session and a 200", () => {
  it("bad_signature event, no reason or stack in the body", async () => {
    const { request, jar, sessions, events } = setup();
    await request((s) => s.set("n", 1));
    const value = jar.cookies.get(NAME)!;
    const flipped = value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.at(-1);
    const handler = withSessions(
      sessions,
      async (_req, s) => new Response(`n=${String(s.get("n"))}`),
    );
    const res = await handler(
      new Request("https://app.test/", { headers: { cookie: `${NAME}=${flipped}` } }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("n=undefined");
    expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "bad_signature" });
  });
});

describe("payload cap before any store call", () => {
  it("a 1 MB value throws ERR_SESSION_TOO_LARGE before any store call", async () => {
    const { sessions, spy } = setup();
    const s = await sessions.load("");
    s.set("blob", "x".repeat(1_000_000));
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
    expect(spy.calls.set).toBe(0);
  });

  it("counts UTF-8 bytes, not characters", async () => {
    const { sessions, spy } = setup({ maxSize: 1000 });
    const s = await sessions.load("");
    s.set("blob", "€".repeat(400)); // 400 chars, 1200 bytes
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
    expect(spy.calls.set).toBe(0);
  });
});

describe("the id is read from the cookie only, never from a URL, body or other header", () => {
  it("ignores ?sid=, ;jsessionid=, a form field and X-Session-Id", async () => {
    const { request, jar, sessions } = setup();
    await request((s) => s.set("n", 1));
    const value = jar.cookies.get(NAME)!;
    const handler = withSessions(sessions, async (_req, s) => new Response(String(s.get("n"))));
    const requests = [
      new Request(`https://app.test/?sid=${value}`),
      new Request(`https://app.test/;jsessionid=${value}`),
      new Request("https://app.test/", {
        method: "POST",
        body: new URLSearchParams({ sid: value }),
      }),
      new Request("https://app.test/", { headers: { "x-session-id": value } }),
    ];
    for (const req of requests) expect(await (await handler(req)).text()).toBe("undefined");
  });
});

describe("prototype pollution: records are prototype-safe", () => {
  it("__proto__ and constructor are plain keys; Object.prototype untouched", async () => {
    const { request } = setup();
    await request((s) => {
      const loose = s as unknown as { set(k: string, v: unknown): void; get(k: string): unknown };
      loose.set("__proto__", { isAdmin: true });
      loose.set("constructor", { prototype: { polluted: 1 } });
      expect(loose.get("toString")).toBeUndefined();
    });
    const { session } = await request(() => {});
    const loose = session as unknown as { get(k: string): unknown };
    expect(loose.get("__proto__")).toEqual({ isAdmin: true });
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect((session.toJSON() as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });

  it("a stored record carrying __proto__ does not pollute on load or merge", async () => {
    const { request, jar, sessions, spy, loadTwice } = setup();
    await request((s) => s.set("n", 1));
    const s0 = await sessions.load(jar.header());
    const key = internals(s0).key;
    const entry = (await spy.inner.get(key))!;
    const poisoned = entry.value.replace(
      '"data":{',
      '"data":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}},',
    );
    await spy.inner.set(key, { value: poisoned, expiresAt: entry.expiresAt });
    const [a, b] = await loadTwice();
    a.set("cart", [1]);
    b.set("theme", "dark");
    await sessions.commit(a);
    await sessions.commit(b); // conflict → merge over the poisoned record
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    expect((b as unknown as { isAdmin?: boolean }).isAdmin).toBeUndefined();
  });
});

describe("a clock that moves back grants no lifetime", () => {
  it("clock back 1 h: the absolute deadline still holds", async () => {
    const { request, clock } = setup({}, false, 24 * HOUR);
    await request((s) => s.set("n", 1));
    for (let i = 0; i < 11 * 12 + 11; i++) {
      clock.advance(5 * MIN);
      await request(() => {});
    }
    clock.advance(-HOUR);
    await request((s) => s.set("n", 2));
    clock.advance(HOUR + 6 * MIN);
    expect((await request(() => {})).session.rejected).toBe("expired_absolute");
  });

  it("a record created more than 5 min in the future is invalid", async () => {
    const { sessions, spy, clock, keys } = setup();
    const token = randomToken(32);
    const record = {
      v: 1 as const,
      createdAt: clock.now() + 6 * MIN,
      lastSeenAt: clock.now(),
      data: {},
    };
    await spy.inner.set(hashToken(token), {
      value: encodeRecord(record),
      expiresAt: clock.now() + MIN,
    });
    const s = await sessions.load(
      `${NAME}=${sign(token, keys, { purpose: "cookie", context: NAME })}`,
    );
    expect(s.rejected).toBe("malformed");
  });
});

describe("stateless logout without a store only clears the cookie", () => {
  it("clears the cookie and says the server did not revoke anything", async () => {
    const { request, jar, sessions } = setup({}, true);
    await request((s) => s.login("u1"));
    const stolen = jar.clone();
    const { result, setCookies } = await request((s) => s.logout());
    expect(result).toEqual({ serverSideRevoked: false });
    expect(parseSetCookie(setCookies[0]!)!.attributes.maxAge).toBe(0);
    // Documented in SECURITY.md (known limitations): a stolen copy stays valid until it expires.
    expect((await sessions.load(stolen.header())).userId).toBe("u1");
  });
});

describe("login carries over only the listed keys", () => {
  it("cart survives, role does not", async () => {
    const { request } = setup();
    await request((s) => {
      s.set("cart", [1, 2]);
      s.set("role", "admin");
      s.flash("notice", "hi");
    });
    const { session } = await request((s) => s.login("u1", { carryOver: ["cart"] }));
    expect(session.toJSON()).toEqual({ cart: [1, 2] });
    const after = await request((s) => s.consumeFlash("notice"));
    expect(after.result).toBeUndefined();
  });

  it("without carryOver nothing from the anonymous session survives", async () => {
    const { request } = setup();
    await request((s) => s.set("role", "admin"));
    const { session } = await request((s) => s.login("u1"));
    expect(session.toJSON()).toEqual({});
  });
});

describe("two values of the session cookie → no session, rejected as duplicate_cookie (cookie tossing; RFC 6265bis §4.2.2)", () => {
  it.each([
    ["both valid", true],
    ["one garbage", false],
  ])("%s", async (_, bothValid) => {
    const { request, jar, sessions, events, spy } = setup();
    await request((s) => s.set("n", 1));
    const a = jar.cookies.get(NAME)!;
    const other = new Jar();
    await request((s) => s.set("n", 2), other);
    const b = bothValid ? other.cookies.get(NAME)! : "garbage";
    spy.calls.get = 0;
    const s = await sessions.load(`${NAME}=${a}; ${NAME}=${b}`);
    expect(s.rejected).toBe("duplicate_cookie");
    expect(s.get("n")).toBeUndefined();
    expect(spy.calls.get).toBe(0);
    expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "duplicate_cookie" });
  });
});
