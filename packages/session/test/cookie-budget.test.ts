import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomToken } from "@tessera/signing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { clock, Jar, keyring, setup } from "./helpers.js";

/** Incompressible-ish text of `length` characters. */
const blob = (length: number) =>
  randomToken(32)
    .repeat(Math.ceil(length / 43))
    .slice(0, length);

/** What the jar sends for the session's own cookies, as the Cookie header carries them. */
const sessionBytes = (jar: Jar) =>
  [...jar.cookies]
    .filter(([name]) => name === "__Host-sid" || name.startsWith("__Host-sid."))
    .map(([name, value]) => `${name}=${value}`)
    .join("; ").length;

// Regression: stateless sessions were chunked into up to 50 cookies while the reader read
// 20 KiB, so a 30 KB session was written and refused as malformed on the next request, and
// a 12 KB one made a 16.4 KB Cookie header that Node answered with 431 on every request.
describe("stateless: one cookie budget at commit (maxCookieSize)", () => {
  it("a session past the default budget is refused at commit and writes nothing", async () => {
    const { request, jar, sessions, events } = setup({}, true);
    await request((s) => s.set("n", 1));
    const before = jar.header();
    for (const size of [6000, 12_000, 30_000]) {
      const s = await sessions.load(jar.header());
      s.set("blob", blob(size));
      await expect(sessions.commit(s)).rejects.toMatchObject({
        code: "ERR_SESSION_TOO_LARGE",
        message: expect.stringContaining("maxCookieSize"),
      });
    }
    expect(jar.header()).toBe(before);
    expect(events.filter((e) => e.type === "rejected")).toEqual([]);
    // The user is not locked out: the previous cookie still loads.
    expect((await sessions.load(before)).get("n")).toBe(1);
  });

  it("the default budget holds a two-chunk session within 6 KiB", async () => {
    const { request, jar } = setup({}, true);
    await request((s) => s.set("blob", blob(3000)));
    expect(jar.cookies.size).toBe(2);
    expect(sessionBytes(jar)).toBeLessThanOrEqual(6144);
    expect((await request(() => {})).session.get("blob")).toHaveLength(3000);
  });

  it("a raised budget is read back whole: a 30 KB session under maxCookieSize 48000", async () => {
    const { request, jar } = setup({ maxCookieSize: 48_000 }, true);
    const big = blob(30_000);
    await request((s) => s.set("blob", big));
    expect(sessionBytes(jar)).toBeGreaterThan(30_000);
    expect(sessionBytes(jar)).toBeLessThanOrEqual(48_000);
    const { session } = await request(() => {});
    expect(session.rejected).toBeUndefined();
    expect(session.get("blob")).toBe(big);
    // Shrinking clears every stale chunk, the last ones included.
    await request((s) => s.set("blob", "x"));
    expect([...jar.cookies.keys()]).toEqual(["__Host-sid"]);
  });

  it.each([[0], [1023], [65_537], [6144.5], ["6144"]])(
    "maxCookieSize %j is refused at startup, naming the option",
    (maxCookieSize) => {
      expect(() =>
        createSessions({ keys: keyring(), maxCookieSize: maxCookieSize as number }),
      ).toThrow(
        expect.objectContaining({
          code: "ERR_SESSION_INVALID_OPTION",
          message: expect.stringContaining("maxCookieSize"),
        }),
      );
    },
  );

  it("stateful: the signed cookie is far below the budget, and a name that could not fit is refused", async () => {
    const { request, jar } = setup({ maxCookieSize: 1024 });
    await request((s) => s.set("blob", blob(50_000)));
    // Token, key id and MAC: at most 152 characters whatever the session holds.
    expect(sessionBytes(jar)).toBeLessThanOrEqual("__Host-sid=".length + 152);
    expect(() =>
      createSessions({
        keys: keyring(),
        store: setup().spy.store,
        maxCookieSize: 1024,
        cookie: { name: `__Host-${"n".repeat(900)}` },
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }));
  });
});

describe("property: whatever commit writes, the next request reads back over real HTTP", () => {
  const c = clock();
  const sessions = createSessions<Record<string, unknown>>({ keys: keyring(), now: c.now });
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Node's defaults: 16 KiB for all request headers (maxHeaderSize), 431 past it.
    server = createServer((req, res) => {
      sessions.load(req.headers.cookie ?? "").then(
        (s) => {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ rejected: s.rejected ?? null, data: s.toJSON() }));
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const value = fc.oneof(
    fc.integer({ min: 0, max: 9000 }).map(blob),
    fc.string({ unit: "binary", maxLength: 3000 }),
    fc.string({ unit: "grapheme", maxLength: 1500 }),
  );

  it("never a 431, never lost data, never a stale chunk", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.constantFrom("a", "b", "c"), value, { maxKeys: 3 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 0, max: 2000 }),
        async (steps, otherBytes) => {
          const jar = new Jar();
          let expected: Record<string, unknown> = {};
          for (const step of steps) {
            const s = await sessions.load(jar.header());
            for (const [k, v] of Object.entries(step)) s.set(k, v);
            let lines: string[];
            try {
              lines = await sessions.commit(s);
            } catch (error) {
              // Refused: nothing was written, the previous session stays as it was.
              expect(error).toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
              continue;
            }
            jar.apply(lines);
            expected = { ...expected, ...step };
            expect(sessionBytes(jar)).toBeLessThanOrEqual(6144);
            // The site's other cookies, in the room the default budget leaves under 8 KiB.
            const other = otherBytes > 0 ? `; other=${"o".repeat(otherBytes)}` : "";
            const response = await fetch(url, { headers: { cookie: jar.header() + other } });
            expect(response.status).toBe(200);
            const body = (await response.json()) as { rejected: unknown; data: unknown };
            expect(body.rejected).toBeNull();
            expect(body.data).toEqual(expected);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});
