import { parseSetCookie } from "@tessera/cookie";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/index.js";
import type { CookieSettings } from "../src/lib/context.js";
import { sessionSetCookie, validateCookieSettings } from "../src/lib/set-cookie.js";
import { clock, Jar, MIN, setup } from "./helpers.js";

const SETTINGS: CookieSettings[] = [
  {
    name: "__Host-sid",
    sameSite: "lax",
    persistent: true,
    path: "/",
    domain: undefined,
    secure: true,
  },
  {
    name: "__Host-app",
    sameSite: "strict",
    persistent: true,
    path: "/",
    domain: undefined,
    secure: true,
  },
  {
    name: "sid",
    sameSite: "lax",
    persistent: true,
    path: "/app",
    domain: "example.com",
    secure: true,
  },
  {
    name: "sid",
    sameSite: "strict",
    persistent: false,
    path: "/",
    domain: undefined,
    secure: false,
  },
];

describe("the session cookie writer (attributes serialized once)", () => {
  it.each(SETTINGS.map((s) => [s.name, s]))(
    "%s: every value and Max-Age comes out exactly as the cookie package writes it",
    (_, settings) => {
      const write = validateCookieSettings(settings);
      fc.assert(
        fc.property(
          fc.stringMatching(/^[A-Za-z0-9_-]{43}\.k1\.[A-Za-z0-9_-]{43}$/),
          fc.option(fc.integer({ min: 0, max: 34_560_000 }), { nil: undefined }),
          (signed, maxAge) => {
            expect(write(signed, maxAge)).toBe(sessionSetCookie(settings, signed, maxAge));
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it("an age the template was not made for still goes through the cookie package's checks", () => {
    const write = validateCookieSettings(SETTINGS[0]!);
    expect(() => write("v", 34_560_001)).toThrow(/maxAge/);
    expect(() => write("v", 1.5)).toThrow(/maxAge/);
    expect(write("v", 34_560_000)).toBe(sessionSetCookie(SETTINGS[0]!, "v", 34_560_000));
  });
});

describe("re-sent cookies reuse the request's signed value only when it is current", () => {
  const cookieValue = (line: string) => parseSetCookie(line)!.value;

  it("a persistent cookie re-sent after a change carries the value the request sent", async () => {
    const { request, jar } = setup({ cookie: { persistent: true } });
    await request((s) => s.set("n", 1));
    const sent = jar.cookies.get("__Host-sid")!;
    const { setCookies } = await request((s) => s.set("n", 2));
    expect(setCookies).toHaveLength(1);
    expect(cookieValue(setCookies[0]!)).toBe(sent);
  });

  it("after regenerate the cookie is the new token's, and it loads the session", async () => {
    const { request, jar, sessions } = setup({ cookie: { persistent: true } });
    await request((s) => s.set("n", 1));
    const before = jar.cookies.get("__Host-sid")!;
    const { setCookies } = await request(async (s) => {
      await s.regenerate();
      s.set("n", 2);
    });
    const after = cookieValue(setCookies[0]!);
    expect(after).not.toBe(before);
    const reloaded = await sessions.load(`__Host-sid=${after}`);
    expect(reloaded.isNew).toBe(false);
    expect(reloaded.get("n")).toBe(2);
    expect((await sessions.load(`__Host-sid=${before}`)).isNew).toBe(true);
  });

  it("a cookie signed with a retired key is re-signed with the primary one", async () => {
    const old = { id: "k0", secret: randomToken(32) };
    const fresh = { id: "k1", secret: randomToken(32) };
    const c = clock();
    const store = new MemoryStore({ sweepIntervalMs: 0, now: c.now });
    const before = createSessions<{ n: number }>({
      keys: createKeyring([old]),
      store,
      now: c.now,
      cookie: { persistent: true },
    });
    const first = await before.load("");
    first.set("n", 1);
    const jar = new Jar();
    jar.apply(await before.commit(first));
    const oldValue = jar.cookies.get("__Host-sid")!;
    expect(oldValue).toContain(".k0.");

    const after = createSessions<{ n: number }>({
      keys: createKeyring([fresh, old]),
      store,
      now: c.now,
      cookie: { persistent: true },
    });
    c.advance(MIN);
    const session = await after.load(jar.header());
    session.set("n", 2);
    const [line] = await after.commit(session);
    const value = cookieValue(line!);
    expect(value).toContain(".k1.");
    expect(value.split(".")[0]).toBe(oldValue.split(".")[0]);
    expect((await after.load(`__Host-sid=${value}`)).get("n")).toBe(2);
  });
});
