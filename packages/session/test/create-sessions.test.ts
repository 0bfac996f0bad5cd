import { parseSetCookie } from "@tessera/cookie";
import { MemoryStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { SessionError } from "../src/errors.js";
import { HOUR, keyring, MIN, SEC, setup } from "./helpers.js";

describe("createSessions options", () => {
  const keys = keyring();
  it.each([
    ["keys missing", { keys: undefined }],
    ["keys not a keyring", { keys: {} }],
    ["store not a store", { keys, store: { get() {} } }],
    ["idleTimeout 0", { keys, idleTimeout: 0 }],
    ["idleTimeout fractional", { keys, idleTimeout: 1.5 }],
    ["absoluteTimeout string", { keys, absoluteTimeout: "12h" }],
    ["touchAfter >= idleTimeout", { keys, idleTimeout: 60, touchAfter: 60 }],
    ["maxRetries negative", { keys, maxRetries: -1 }],
    ["maxSize tiny", { keys, maxSize: 10 }],
    ["encryptAtRest without store", { keys, encryptAtRest: true }],
    ["sameSite none", { keys, cookie: { sameSite: "none" } }],
    ["__Host- with a Domain", { keys, cookie: { domain: "example.com" } }],
    ["__Host- with a Path", { keys, cookie: { path: "/app" } }],
    ["bad cookie name", { keys, cookie: { name: "a b" } }],
    ["persistent not boolean", { keys, cookie: { persistent: "yes" } }],
    ["now not a function", { keys, now: 5 }],
    ["maxSessionsPerUser without a store", { keys, maxSessionsPerUser: 3 }],
    ["maxSessionsPerUser zero", { keys, store: new MemoryStore(), maxSessionsPerUser: 0 }],
    ["sessionLimit unknown", { keys, sessionLimit: "oldest" }],
  ])("%s → ERR_SESSION_INVALID_OPTION", (_, options) => {
    let caught: unknown;
    try {
      createSessions(options as never);
    } catch (error) {
      caught = error;
    }
    expect(SessionError.isInstance(caught)).toBe(true);
    expect((caught as SessionError).code).toBe("ERR_SESSION_INVALID_OPTION");
  });

  it("names the option and value in the message", () => {
    expect(() => createSessions({ keys, idleTimeout: -5 })).toThrow(
      /option idleTimeout is invalid: -5/,
    );
  });

  it("reports its mode", () => {
    expect(createSessions({ keys, store: new MemoryStore() }).mode).toBe("stateful");
    expect(createSessions({ keys }).mode).toBe("stateless");
  });
});

describe("cookie defaults: __Host- prefix, HttpOnly, Secure, SameSite=Lax, a generic name", () => {
  it("__Host-sid; HttpOnly; Secure; SameSite=Lax; Path=/; no Max-Age; no Domain", async () => {
    const { request } = setup();
    const { setCookies } = await request((s) => s.set("n", 1));
    expect(setCookies).toHaveLength(1);
    const parsed = parseSetCookie(setCookies[0]!)!;
    expect(parsed.name).toBe("__Host-sid");
    expect(parsed.attributes).toEqual({ path: "/", secure: true, httpOnly: true, sameSite: "lax" });
  });

  it("persistent: Max-Age = min(idle, absolute remaining)", async () => {
    const { request, clock } = setup({ cookie: { persistent: true } });
    const first = await request((s) => s.set("n", 1));
    expect(parseSetCookie(first.setCookies[0]!)!.attributes.maxAge).toBe(1800);
    // Requests every 5 minutes keep it alive; near the absolute end Max-Age shrinks.
    let last: string[] = [];
    for (let t = 5; t <= 11 * 60 + 55; t += 5) {
      clock.advance(5 * MIN);
      last = (await request((s) => s.set("n", t))).setCookies;
    }
    expect(parseSetCookie(last[0]!)!.attributes.maxAge).toBe(300);
  });

  it("sameSite strict", async () => {
    const { request } = setup({ cookie: { sameSite: "strict" } });
    const { setCookies } = await request((s) => s.set("n", 1));
    expect(setCookies[0]).toContain("SameSite=Strict");
  });
});

describe("lazy creation and dirty tracking", () => {
  it("an untouched session writes nothing and sends no cookie", async () => {
    const { request, spy } = setup();
    for (let i = 0; i < 1000; i++) {
      const { setCookies } = await request((s) => s.get("n"));
      expect(setCookies).toEqual([]);
    }
    expect(spy.calls.set).toBe(0);
    expect(spy.calls.get).toBe(0);
  });

  it("persist() and saveUninitialized create empty sessions", async () => {
    const a = setup();
    expect((await a.request((s) => s.persist())).setCookies).toHaveLength(1);
    const b = setup({ saveUninitialized: true });
    expect((await b.request(() => {})).setCookies).toHaveLength(1);
  });

  it("an unchanged loaded session costs one get and no write", async () => {
    const { request, spy } = setup();
    await request((s) => s.set("n", 1));
    spy.calls.set = 0;
    spy.calls.get = 0;
    const { setCookies, session } = await request((s) => s.get("n"));
    expect(session.get("n")).toBe(1);
    expect(setCookies).toEqual([]);
    expect(spy.calls).toMatchObject({ get: 1, set: 0, touch: 0 });
  });

  it("typed get/set/delete/has and toJSON", async () => {
    const { request } = setup();
    await request((s) => {
      s.set("cart", [1, 2]);
      s.set("theme", "dark");
    });
    const { session } = await request((s) => {
      expect(s.get("cart")).toEqual([1, 2]);
      expect(s.has("theme")).toBe(true);
      s.delete("theme");
    });
    expect(session.has("theme")).toBe(false);
    expect({ ...session.toJSON() }).toEqual({ cart: [1, 2] });
    const { session: again } = await request(() => {});
    expect(again.has("theme")).toBe(false);
  });

  it("setting undefined deletes", async () => {
    const { request } = setup();
    await request((s) => s.set("n", 1));
    await request((s) => s.set("n", undefined as never));
    const { session } = await request(() => {});
    // the session holds nothing now but still exists; n is gone
    expect(session.has("n")).toBe(false);
  });
});

describe("touchAfter throttling", () => {
  it("100 unchanged requests within 60 s cost at most one touch and no write", async () => {
    const { request, spy, clock } = setup({ touchAfter: 60 });
    await request((s) => s.set("n", 1));
    spy.calls.set = 0;
    for (let i = 0; i < 100; i++) {
      clock.advance(500);
      await request(() => {});
    }
    expect(spy.calls.set).toBe(0);
    expect(spy.calls.touch).toBeLessThanOrEqual(1);
  });

  it("a touch keeps an unchanged session alive past the original idle deadline", async () => {
    const { request, clock, spy } = setup({ idleTimeout: 600, touchAfter: 60 }, false, HOUR);
    await request((s) => s.set("n", 1));
    for (let i = 0; i < 10; i++) {
      clock.advance(5 * MIN);
      const { session } = await request(() => {});
      expect(session.get("n")).toBe(1);
    }
    expect(spy.calls.set).toBe(1);
    expect(spy.calls.touch).toBe(10);
    clock.advance(10 * MIN + SEC);
    const { session } = await request(() => {});
    expect(session.rejected).toBe("expired_idle");
  });
});

describe("expiry: idle and absolute timeouts enforced by the server", () => {
  it("the store's TTL ends an idle session by itself: unknown_id, cookie cleared", async () => {
    const { request, clock } = setup();
    await request((s) => s.set("n", 1));
    clock.advance(30 * MIN);
    const { session, setCookies } = await request(() => {});
    expect(session.rejected).toBe("unknown_id");
    expect(parseSetCookie(setCookies[0]!)!.attributes.maxAge).toBe(0);
  });

  it("idle: valid at 29:59, expired after 30:01 of inactivity", async () => {
    const { request, clock, events, spy } = setup({}, false, HOUR);
    await request((s) => s.set("n", 1));
    clock.advance(30 * MIN - SEC);
    const ok = await request((s) => s.set("n", 2));
    expect(ok.session.get("n")).toBe(2);
    clock.advance(30 * MIN + SEC);
    const { session, setCookies } = await request(() => {});
    expect(session.rejected).toBe("expired_idle");
    expect(session.get("n")).toBeUndefined();
    // record deleted and cookie cleared
    expect(spy.calls.delete).toBe(1);
    expect(parseSetCookie(setCookies[0]!)!.attributes.maxAge).toBe(0);
    expect(events.some((e) => e.type === "rejected" && e.reason === "expired_idle")).toBe(true);
  });

  it("absolute: valid at 11:59:59, rejected at 12:00:01 with activity every 5 min", async () => {
    const { request, clock } = setup({}, false, HOUR);
    await request((s) => s.set("n", 0));
    let t = 0;
    while (t + 5 * MIN < 12 * HOUR - SEC) {
      clock.advance(5 * MIN);
      t += 5 * MIN;
      await request((s) => s.set("n", t));
    }
    clock.advance(12 * HOUR - SEC - t);
    expect((await request(() => {})).session.rejected).toBeUndefined();
    clock.advance(2 * SEC);
    expect((await request(() => {})).session.rejected).toBe("expired_absolute");
  });

  it("store TTL = min(idle deadline, absolute deadline), so the store drops what the server would refuse", async () => {
    const { request, spy, clock } = setup();
    const written: number[] = [];
    const inner = spy.store.set;
    spy.store.set = (k, e, o) => {
      written.push(e.expiresAt);
      return inner(k, e, o);
    };
    const start = clock.now();
    await request((s) => s.set("n", 0));
    expect(written[0]).toBe(start + 30 * MIN);
    for (let i = 1; i <= 12 * 6 - 1; i++) {
      clock.advance(10 * MIN);
      await request((s) => s.set("n", i));
    }
    // At 11:50 the idle deadline (12:20) lies past the absolute one (12:00).
    expect(written.at(-1)).toBe(start + 12 * HOUR);
  });
});

describe("regenerate / login / logout: a new id on privilege change, the entry deleted on logout", () => {
  it("regenerate: new token, data kept, old entry gone at once", async () => {
    const { request, jar, spy, sessions } = setup();
    await request((s) => s.set("cart", [1]));
    const oldJar = jar.clone();
    const { session, setCookies } = await request(async (s) => {
      await s.regenerate();
    });
    expect(setCookies).toHaveLength(1);
    expect(jar.header()).not.toBe(oldJar.header());
    expect(session.get("cart")).toEqual([1]);
    const old = await sessions.load(oldJar.header());
    expect(old.rejected).toBe("unknown_id");
    expect(spy.calls.delete).toBe(1);
  });

  it("login binds the user, records authTime and restarts the absolute clock", async () => {
    const { request, clock } = setup();
    await request((s) => s.set("cart", [1]));
    clock.advance(HOUR);
    const { session } = await request((s) => s.login("u1"));
    expect(session.userId).toBe("u1");
    expect(session.authTime).toBe(clock.now());
    expect(session.createdAt).toBe(clock.now());
    const again = await request(() => {});
    expect(again.session.userId).toBe("u1");
  });

  it("login by the same user (step-up) keeps the data", async () => {
    const { request, clock } = setup();
    await request((s) => s.login("u1"));
    await request((s) => s.set("cart", [3]));
    clock.advance(MIN);
    const { session } = await request((s) => s.login("u1"));
    expect(session.get("cart")).toEqual([3]);
    expect(session.authTime).toBe(clock.now());
  });

  it("logout deletes the entry and clears the cookie", async () => {
    const { request, jar, sessions } = setup();
    await request((s) => s.login("u1"));
    const stolen = jar.clone();
    const { result, setCookies } = await request((s) => s.logout());
    expect(result).toEqual({ serverSideRevoked: true });
    const cleared = parseSetCookie(setCookies[0]!)!;
    expect(cleared).toMatchObject({ name: "__Host-sid", value: "" });
    expect(cleared.attributes).toMatchObject({ maxAge: 0, path: "/", secure: true });
    expect(jar.cookies.size).toBe(0);
    expect((await sessions.load(stolen.header())).rejected).toBe("unknown_id");
  });

  it("a destroyed session refuses further changes", async () => {
    const { request } = setup();
    await request((s) => s.set("n", 1));
    await request(async (s) => {
      await s.destroy();
      expect(s.isDestroyed).toBe(true);
      let code: unknown;
      try {
        s.set("n", 2);
      } catch (error) {
        code = (error as SessionError).code;
      }
      expect(code).toBe("ERR_SESSION_DESTROYED");
    });
  });

  it("login validates userId", async () => {
    const { request } = setup();
    await request(async (s) => {
      await expect(s.login("")).rejects.toMatchObject({ code: "ERR_SESSION_INVALID_ARGUMENT" });
    });
  });
});

describe("freshness: sensitive actions need a recent login", () => {
  it("isFresh / requireFresh follow authTime", async () => {
    const { request, clock } = setup();
    await request((s) => s.login("u1"));
    clock.advance(10 * MIN);
    await request(async (s) => {
      expect(s.isFresh(300)).toBe(false);
      expect(s.isFresh(900)).toBe(true);
      expect(() => s.requireFresh(300)).toThrow(
        expect.objectContaining({ code: "ERR_SESSION_REAUTH_REQUIRED" }),
      );
      await s.login("u1");
      expect(() => s.requireFresh(300)).not.toThrow();
    });
  });

  it("an anonymous session is never fresh; bad maxAge is a programmer error", async () => {
    const { request } = setup();
    await request((s) => {
      expect(s.isFresh(1e9)).toBe(false);
      expect(() => s.isFresh(-1)).toThrow(
        expect.objectContaining({ code: "ERR_SESSION_INVALID_ARGUMENT" }),
      );
    });
  });

  it("authTime cannot be written through session data", async () => {
    const { request } = setup();
    await request((s) => s.login("u1"));
    const { session } = await request((s) => {
      (s as unknown as { set(k: string, v: unknown): void }).set("authTime", Date.now() * 2);
      (s as unknown as { set(k: string, v: unknown): void }).set("userId", "admin");
    });
    expect(session.userId).toBe("u1");
    const again = await request(() => {});
    expect(again.session.userId).toBe("u1");
    expect(again.session.isFresh(1)).toBe(true);
  });
});

describe("flash and CSRF", () => {
  it("a flash message is read exactly once", async () => {
    const { request } = setup();
    await request((s) => s.flash("notice", "Saved"));
    const first = await request((s) => s.consumeFlash("notice"));
    expect(first.result).toBe("Saved");
    const second = await request((s) => s.consumeFlash("notice"));
    expect(second.result).toBeUndefined();
  });

  it("csrfToken is stable per session, verifies, and changes on login", async () => {
    const { request } = setup();
    const a = await request((s) => s.csrfToken());
    expect(a.setCookies).toHaveLength(1); // calling it persists the session
    const b = await request(async (s) => {
      expect(await s.verifyCsrf(a.result)).toBe(true);
      expect(await s.verifyCsrf(`${a.result}x`)).toBe(false);
      expect(await s.verifyCsrf("")).toBe(false);
      expect(await s.verifyCsrf(undefined)).toBe(false);
      return s.csrfToken();
    });
    expect(b.result).toBe(a.result);
    const c = await request(async (s) => {
      await s.login("u1");
      expect(await s.verifyCsrf(a.result)).toBe(false);
      return s.csrfToken();
    });
    expect(c.result).not.toBe(a.result);
  });

  it("the CSRF token reveals neither the cookie token nor the cookie value", async () => {
    const { request, jar } = setup();
    const { result } = await request((s) => s.csrfToken());
    const cookie = jar.cookies.get("__Host-sid")!;
    const token = cookie.split(".")[0]!;
    expect(result).not.toContain(token);
    expect(cookie).not.toContain(result.split(".").pop());
  });

  it("a session's CSRF token does not verify for another session", async () => {
    const a = setup();
    const token = (await a.request((s) => s.csrfToken())).result;
    const other = new (await import("../test/helpers.js")).Jar();
    const b = await a.request(async (s) => s.verifyCsrf(token), other);
    expect(b.result).toBe(false);
  });
});

describe("per-user control: list and revoke a user's sessions", () => {
  it("lists a user's sessions with metadata and revokes all but one", async () => {
    const { sessions, clock } = setup();
    const jars: string[][] = [];
    for (const ua of ["Firefox", "Safari", "Chrome"]) {
      const s = await sessions.load("", { userAgent: ua, ip: "203.0.113.7" });
      await s.login("u1");
      jars.push(await sessions.commit(s));
      clock.advance(SEC);
    }
    const other = await sessions.load("");
    await other.login("u2");
    await sessions.commit(other);
    const list = await sessions.listUserSessions("u1");
    expect(list.map((s) => s.userAgent).sort()).toEqual(["Chrome", "Firefox", "Safari"]);
    expect(list[0]).toMatchObject({ ip: "203.0.113.7" });
    expect(list[0]!.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = (lines: string[]) => {
      const p = parseSetCookie(lines[0]!)!;
      return `${p.name}=${p.value}`;
    };
    const current = await sessions.load(header(jars[1]!));
    expect(await sessions.revokeUser("u1", { except: current })).toBe(2);
    expect((await sessions.load(header(jars[0]!))).rejected).toBe("unknown_id");
    expect((await sessions.load(header(jars[1]!))).userId).toBe("u1");
    expect((await sessions.load(header(jars[2]!))).rejected).toBe("unknown_id");
    expect(await sessions.listUserSessions("u2")).toHaveLength(1);
  });

  it("revokeUserSession deletes one session of the user only", async () => {
    const { sessions } = setup();
    const s = await sessions.load("");
    await s.login("u1");
    await sessions.commit(s);
    const [info] = await sessions.listUserSessions("u1");
    expect(await sessions.revokeUserSession("u2", info!.id)).toBe(false);
    expect(await sessions.revokeUserSession("u1", info!.id)).toBe(true);
    expect(await sessions.listUserSessions("u1")).toEqual([]);
  });

  it("throws ERR_SESSION_UNSUPPORTED without a user index or a store", async () => {
    const keys = keyring();
    const inner = new MemoryStore();
    const bare = {
      get: inner.get.bind(inner),
      set: inner.set.bind(inner),
      touch: inner.touch.bind(inner),
      delete: inner.delete.bind(inner),
    };
    const noIndex = createSessions({ keys, store: bare });
    await expect(noIndex.listUserSessions("u1")).rejects.toMatchObject({
      code: "ERR_SESSION_UNSUPPORTED",
      message: expect.stringContaining("per-user index"),
    });
    const stateless = createSessions({ keys });
    await expect(stateless.revokeUser("u1")).rejects.toMatchObject({
      code: "ERR_SESSION_UNSUPPORTED",
      message: expect.stringContaining("logout only clears the cookie"),
    });
  });
});

describe("store outages fail closed: an error, never a fresh session", () => {
  it("load rethrows StoreUnavailableError and emits store_error, never a fresh session", async () => {
    const { request, spy, sessions, jar, events } = setup();
    await request((s) => s.set("n", 1));
    spy.fail.add("get");
    await expect(sessions.load(jar.header())).rejects.toMatchObject({
      code: "ERR_STORE_UNAVAILABLE",
    });
    expect(events.at(-1)).toMatchObject({ type: "store_error", operation: "get" });
  });

  it("commit rethrows a failed write", async () => {
    const { sessions, spy } = setup();
    spy.fail.add("set");
    const s = await sessions.load("");
    s.set("n", 1);
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
  });

  it("logout while the delete fails: rejects, still clears the cookie on commit, and retries the delete", async () => {
    const { request, spy, sessions, jar, events } = setup();
    await request((s) => s.login("u1"));
    spy.fail.add("delete");
    const s = await sessions.load(jar.header());
    await expect(s.logout()).rejects.toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
    const setCookies = await sessions.commit(s);
    expect(parseSetCookie(setCookies[0]!)!.attributes.maxAge).toBe(0);
    expect(events.some((e) => e.type === "store_error" && e.operation === "delete")).toBe(true);
  });
});

describe("encryption at rest, bound to the store key", () => {
  it("stores no plaintext, round-trips, and a blob moved under another key fails", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const sessions = createSessions<{ secret: string }>({
      keys: keyring(),
      store: inner,
      encryptAtRest: true,
    });
    const a = await sessions.load("");
    a.set("secret", "hunter2");
    const cookieA = parseSetCookie((await sessions.commit(a))[0]!)!;
    const b = await sessions.load("");
    b.set("secret", "other");
    const cookieB = parseSetCookie((await sessions.commit(b))[0]!)!;
    const keyA = (a as unknown as { key: string }).key;
    const keyB = (b as unknown as { key: string }).key;
    const entryA = (await inner.get(keyA))!;
    expect(entryA.value).not.toContain("hunter2");
    const loaded = await sessions.load(`__Host-sid=${cookieA.value}`);
    expect(loaded.get("secret")).toBe("hunter2");
    await inner.set(keyB, { value: entryA.value, expiresAt: entryA.expiresAt });
    const swapped = await sessions.load(`__Host-sid=${cookieB.value}`);
    expect(swapped.rejected).toBe("malformed");
    expect(swapped.get("secret")).toBeUndefined();
  });
});
