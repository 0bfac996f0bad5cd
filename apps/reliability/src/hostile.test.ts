/**
 * Hostile input through the real HTTP adapters: fuzzed Cookie headers,
 * forged, replayed and expired cookies and tokens, oversized payloads, CRLF
 * and NUL wherever a value enters. After every input: no 500, the server
 * still answers, the victim's session is intact, and the status is the
 * documented one.
 */
import { createKeyring, randomToken, sign } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APP_KINDS, type AppKind, unexpectedErrors } from "./lib/app.js";
import { type Fixture, startFixture } from "./lib/fixture.js";
import { COOKIE, hit, rawCookieRequest, rawStatus, sessionFrom } from "./lib/http.js";
import { record } from "./lib/report.js";
import { ALL_STORES, type OpenStore, openStore } from "./lib/stores.js";

const RUNS = Number(process.env["REL_FUZZ_RUNS"] ?? 150);
const tried = new Map<string, number>();
const count = (category: string, n = 1) => tried.set(category, (tried.get(category) ?? 0) + n);

afterAll(() => {
  for (const [category, n] of tried) record("hostile", { category, tried: n });
});

/** A cookie value with the right shape (`token.kid.mac`) whose MAC is wrong. */
function forgedLike(valid: string): string {
  const [token, kid, mac] = valid.split(".") as [string, string, string];
  const flipped = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
  return `${token}.${kid}.${flipped}`;
}

describe.each(APP_KINDS)("hostile input: %s app on MemoryStore", (kind: AppKind) => {
  let f: Fixture;
  let victim: string;

  beforeAll(async () => {
    f = await startFixture(kind, new MemoryStore());
    const login = await hit(f.app.url, "POST", "/login?user=victim");
    victim = login.session!;
    expect(
      (await hit(f.app.url, "POST", "/set?key=secret&value=s3cret", { cookie: victim })).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await f?.close();
  });
  afterEach(async () => {
    // The victim's session survives every attack, and nothing became a 500.
    const h = await hit(f.app.url, "GET", "/state", { cookie: victim });
    expect(h.status).toBe(200);
    expect(h.body["user"]).toBe("victim");
    expect((h.body["data"] as Record<string, unknown>)["secret"]).toBe("s3cret");
    expect(unexpectedErrors).toEqual([]);
  });

  const anonymous = async (header: string, category: string) => {
    count(category);
    const h = await hit(f.app.url, "GET", "/state", { header });
    expect(h.status).toBe(200);
    expect(h.body["user"]).toBeNull();
    expect(h.body["isNew"]).toBe(true);
    // Reading a rejected cookie writes nothing: no Set-Cookie for an untouched session.
    expect(h.setCookie.filter((line) => !line.startsWith(`${COOKIE}=;`))).toEqual([]);
    return h;
  };

  it("random bytes as the Cookie header: 200 or Node's 400, never a 500 or a session", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        count("random-bytes cookie header");
        const status = await rawStatus(f.app.port, rawCookieRequest("/state", bytes));
        expect([200, 400]).toContain(status);
      }),
      { numRuns: RUNS },
    );
  });

  it("cookie headers built from confusing names and values: never a 500, never someone else's session", async () => {
    const names = fc.constantFrom(
      COOKIE,
      `${COOKIE}.0`,
      `${COOKIE}.1`,
      "__HOST-sid",
      "__host-sid",
      `${COOKIE} `,
      ` ${COOKIE}`,
      "sid",
      "",
      "__proto__",
      "constructor",
    );
    const values = fc.oneof(
      fc.constant("VICTIM"),
      fc.constant("FORGED"),
      fc.constant(""),
      fc.constant('"VICTIM"'),
      fc.constant("VICTIM%2E"),
      fc.string({ unit: "grapheme-ascii", maxLength: 60 }).map((s) => s.replace(/[\r\n\0]/g, "")),
      fc.base64String({ maxLength: 120 }),
    );
    const pair = fc.tuple(names, fc.constantFrom("=", " = ", "=="), values);
    const sep = fc.constantFrom("; ", ";", ", ", ";;", " ; ");
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { maxLength: 40 }), sep, async (pairs, separator) => {
        count("fuzzed cookie names/values");
        const header = pairs
          .map(
            ([n, eq, v]) =>
              `${n}${eq}${v.replace("VICTIM", victim).replace("FORGED", forgedLike(victim))}`,
          )
          .join(separator);
        // fetch refuses non-ASCII bytes in headers; those go through the raw path above.
        if (!/^[\x20-\x7e]*$/.test(header)) return;
        const h = await hit(f.app.url, "GET", "/state", { header });
        expect(h.status).toBe(200);
        const user = h.body["user"];
        expect(user === null || user === "victim").toBe(true);
        if (user === "victim") expect(header).toContain(victim);
      }),
      { numRuns: RUNS },
    );
  });

  it("huge headers (431) and thousands of cookies (the session cookie after them still found)", async () => {
    count("oversized header", 3);
    const huge = Buffer.from(`a=${"x".repeat(17_000)}; ${COOKIE}=${victim}`, "latin1");
    expect(await rawStatus(f.app.port, rawCookieRequest("/state", huge))).toBe(431);
    const many = Array.from({ length: 1500 }, (_, i) => `c${i}=${i}`).join("; ");
    // Session cookie after them: the whole header is searched for it, so it is found.
    count("thousands of cookies");
    const last = await hit(f.app.url, "GET", "/state", { header: `${many}; ${COOKIE}=${victim}` });
    expect(last.status).toBe(200);
    expect(last.body["user"]).toBe("victim");
    // Session cookie first: found.
    const first = await hit(f.app.url, "GET", "/state", { header: `${COOKIE}=${victim}; ${many}` });
    expect(first.status).toBe(200);
    expect(first.body["user"]).toBe("victim");
  });

  it("duplicate session cookies (no session: cookie tossing) and split Cookie fields", async () => {
    const dup = await anonymous(
      `${COOKIE}=${victim}; ${COOKIE}=${forgedLike(victim)}`,
      "duplicate session cookie",
    );
    expect(dup.body["rejected"]).toBe("duplicate_cookie");
    await anonymous(`${COOKIE}=${victim}; a=1; ${COOKIE}=${victim}`, "duplicate session cookie");
    count("split cookie fields", 2);
    const split = `GET /state HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: a=1\r\nCookie: ${COOKIE}=${victim}\r\n\r\n`;
    expect(await rawStatus(f.app.port, split)).toBe(200);
    const splitDup = `GET /state HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ${COOKIE}=${victim}\r\nCookie: ${COOKIE}=${victim}\r\n\r\n`;
    expect(await rawStatus(f.app.port, splitDup)).toBe(200);
  });

  it.each([
    ["bit-flipped MAC", (v: string) => forgedLike(v)],
    [
      "another keyring's MAC",
      (v: string) =>
        sign(v.split(".")[0]!, createKeyring([{ id: "rel", secret: randomToken(32) }]), {
          purpose: "cookie",
          context: COOKIE,
        }),
    ],
    ["unknown token, well-formed", () => `${randomToken(32)}.rel.${"A".repeat(43)}`],
    ["truncated", (v: string) => v.slice(0, -1)],
    ["trailing garbage", (v: string) => `${v}x`],
    ["percent-encoded dot", (v: string) => v.replace(".", "%2E")],
    ["quoted", (v: string) => `"${v}"`],
    ["10 KB value", () => "A".repeat(10_000)],
    ["token without signature", (v: string) => v.split(".")[0]!],
  ])("forged cookie: %s → anonymous, 200, nothing written", async (_label, make) => {
    await anonymous(`${COOKIE}=${make(victim)}`, "forged cookie");
  });

  it("replayed cookies: after logout, and the pre-login cookie after login", async () => {
    const anon = await hit(f.app.url, "POST", "/set?key=cart&value=1");
    const before = anon.session!;
    const login = await hit(f.app.url, "POST", "/login?user=replay", { cookie: before });
    const after = login.session!;
    expect(after).not.toBe(before);
    const replayOld = await anonymous(`${COOKIE}=${before}`, "replayed cookie");
    expect(replayOld.body["rejected"]).toBe("unknown_id");
    const logout = await hit(f.app.url, "POST", "/logout", { cookie: after });
    expect(logout.status).toBe(200);
    expect(sessionFrom(logout.setCookie)).toBe("");
    await anonymous(`${COOKIE}=${after}`, "replayed cookie");
  });

  it("expired cookies: idle and absolute timeouts are decided by the server", async () => {
    // Its own manager and clock; the store keeps real time, so the entry is
    // still there and the manager (not the store's TTL) must refuse it.
    let now = Date.now();
    const e = await startFixture(kind, new MemoryStore(), {
      now: () => now,
      idleTimeout: 600,
      absoluteTimeout: 3600,
    });
    try {
      const expired = async (cookie: string) => {
        count("expired cookie");
        const h = await hit(e.app.url, "GET", "/state", { cookie });
        expect(h.status).toBe(200);
        expect(h.body["user"]).toBeNull();
        return h.body["rejected"];
      };
      const a = (await hit(e.app.url, "POST", "/login?user=idle")).session!;
      now += 601_000;
      expect(await expired(a)).toBe("expired_idle");
      const b = (await hit(e.app.url, "POST", "/login?user=absolute")).session!;
      for (let i = 0; i < 7; i += 1) {
        now += 500_000;
        expect((await hit(e.app.url, "POST", "/inc", { cookie: b })).body["user"]).toBe("absolute");
      }
      now += 200_000;
      expect(await expired(b)).toBe("expired_absolute");
    } finally {
      await e.close();
    }
  });

  it("forged CSRF tokens → 403, the real one → 200", async () => {
    const token = (await hit(f.app.url, "GET", "/csrf", { cookie: victim })).body[
      "token"
    ] as string;
    for (const bad of [
      "",
      "x",
      forgedLike(`a.${token}`).slice(2),
      token.toUpperCase(),
      `${token}\u0000`,
    ]) {
      count("forged CSRF token");
      const h = await hit(f.app.url, "POST", `/transfer?csrf=${encodeURIComponent(bad)}`, {
        cookie: victim,
      });
      expect(h.status).toBe(403);
    }
    const ok = await hit(f.app.url, "POST", `/transfer?csrf=${encodeURIComponent(token)}`, {
      cookie: victim,
    });
    expect(ok.status).toBe(200);
  });

  it("oversized session payload → the documented 413 (ERR_SESSION_TOO_LARGE), stored data unchanged", async () => {
    const s = (await hit(f.app.url, "POST", "/set?key=keep&value=1")).session!;
    for (const size of [65_537, 200_000, 1_500_000]) {
      count("oversized payload");
      const h = await hit(f.app.url, "POST", "/big", { cookie: s, body: "x".repeat(size) });
      expect(h.status).toBe(413);
      expect(h.setCookie).toEqual([]);
    }
    const state = await hit(f.app.url, "GET", "/state", { cookie: s });
    expect(state.body["data"]).toEqual({ keep: "1" });
  });

  it("CRLF, NUL and prototype keys in data keys, values and user ids: stored verbatim, no header injection", async () => {
    const nasty = [
      "a\r\nSet-Cookie: evil=1",
      "\u0000",
      "x\u0000y",
      "\r\n\r\nHTTP/1.1 200 OK",
      "\u2028\u2029",
      "😀",
    ];
    for (const value of nasty) {
      count("CRLF/NUL value");
      const s = (
        await hit(
          f.app.url,
          "POST",
          `/set?key=${encodeURIComponent(value)}&value=${encodeURIComponent(value)}`,
        )
      ).session!;
      const state = await hit(f.app.url, "GET", "/state", { cookie: s });
      expect(state.status).toBe(200);
      const expected = new URLSearchParams(`v=${encodeURIComponent(value)}`).get("v")!;
      expect((state.body["data"] as Record<string, unknown>)[expected]).toBe(expected);
      expect(state.setCookie.some((line) => line.startsWith("evil="))).toBe(false);
    }
    for (const user of ["u\r\nx", "u\u0000", "admin\u0000"]) {
      count("CRLF/NUL user id");
      const h = await hit(f.app.url, "POST", `/login?user=${encodeURIComponent(user)}`);
      expect(h.status).toBe(200);
      expect((await hit(f.app.url, "GET", "/state", { cookie: h.session! })).body["user"]).toBe(
        user,
      );
    }
    count("prototype key", 2);
    const p = (
      await hit(
        f.app.url,
        "POST",
        `/set?key=__proto__&value=${encodeURIComponent('{"isAdmin":true}')}`,
      )
    ).session!;
    await hit(f.app.url, "POST", "/set?key=constructor&value=x", { cookie: p });
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    const state = await hit(f.app.url, "GET", "/state", { cookie: p });
    expect((state.body["data"] as Record<string, unknown>)["constructor"]).toBe("x");
    count("CRLF/NUL in raw cookie", 2);
    expect(
      await rawStatus(
        f.app.port,
        rawCookieRequest("/state", Buffer.from(`${COOKIE}=${victim}\r\nX-Evil: 1`)),
      ),
    ).toBe(200);
    expect(
      await rawStatus(
        f.app.port,
        rawCookieRequest("/state", Buffer.from(`${COOKIE}=${victim}\u0000`, "latin1")),
      ),
    ).toBe(400);
  });
});

describe.each(ALL_STORES)("CRLF and NUL round trip through the %s store (Express)", (storeKind) => {
  let opened: OpenStore;
  let f: Fixture;
  beforeAll(async () => {
    opened = await openStore(storeKind, { timeoutMs: 5000 });
    f = await startFixture("express", opened.store);
  });
  afterAll(async () => {
    await f?.close();
    await opened?.close();
  });

  it("values and user ids with CR, LF, NUL, quotes and Lua/glob metacharacters survive exactly", async () => {
    const values = [
      "a\r\nb",
      "\u0000",
      "a\u0000\u0001b",
      "'; DROP TABLE x; --",
      "*?[]{}\\",
      "😀",
      "end\r\n",
    ];
    for (const value of values) {
      count(`store round trip (${storeKind})`);
      const user = `u${value}`;
      const s = (await hit(f.app.url, "POST", `/login?user=${encodeURIComponent(user)}`)).session!;
      await hit(f.app.url, "POST", `/set?key=v&value=${encodeURIComponent(value)}`, { cookie: s });
      const state = await hit(f.app.url, "GET", "/state", { cookie: s });
      expect(state.status).toBe(200);
      expect(state.body["user"]).toBe(user);
      expect((state.body["data"] as Record<string, unknown>)["v"]).toBe(value);
    }
  });
});

describe("stateless chunked cookies: reordered, missing, extra chunks → no session", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture("fetch", undefined);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("tampered chunk sets are refused, the complete set works", async () => {
    // Two chunks, within the default maxCookieSize.
    const h = await hit(f.app.url, "POST", "/big", { body: "y".repeat(3000) });
    expect(h.status).toBe(200);
    const chunks = h.setCookie
      .filter((l) => l.startsWith(`${COOKIE}.`))
      .map((l) => l.split(";")[0]!);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const ok = await hit(f.app.url, "GET", "/state", { header: chunks.join("; ") });
    expect((ok.body["data"] as Record<string, unknown>)["big"]).toBe("y".repeat(3000));
    const value = (c: string) => c.slice(c.indexOf("=") + 1);
    const variants = [
      chunks.slice(1),
      chunks.slice(0, -1),
      [...chunks, `${COOKIE}.${chunks.length}=${value(chunks[0]!)}`],
      chunks.map((_c, i) => `${COOKIE}.${i}=${value(chunks[(i + 1) % chunks.length]!)}`),
      [...chunks, chunks[0]!],
      chunks.map((c) => c.replace(`${COOKIE}.`, `${COOKIE}.0`)),
    ];
    for (const variant of variants) {
      count("tampered stateless chunks");
      const r = await hit(f.app.url, "GET", "/state", { header: variant.join("; ") });
      expect(r.status).toBe(200);
      expect(r.body["data"]).toEqual({});
    }
  });
});

/** A browser's cookie jar: applies Set-Cookie lines (Max-Age=0 deletes) and builds the Cookie header. */
class Jar {
  readonly cookies = new Map<string, string>();
  apply(lines: readonly string[]): void {
    for (const line of lines) {
      const pair = line.slice(0, line.indexOf(";") === -1 ? line.length : line.indexOf(";"));
      const name = pair.slice(0, pair.indexOf("="));
      if (/;\s*Max-Age=0(;|$)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(name.length + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

const smallCookies = (n: number) => Array.from({ length: n }, (_, i) => `c${i}=${i}`).join("; ");

describe.each([
  ["stateful, MemoryStore", true],
  ["stateless", false],
])("cookie padding and size limits over HTTP (Express, %s)", (_label, stateful) => {
  let f: Fixture;
  const victim = new Jar();
  const attacker = new Jar();

  beforeAll(async () => {
    f = await startFixture("express", stateful ? new MemoryStore() : undefined);
    for (const [jar, user] of [
      [victim, "victim"],
      [attacker, "attacker"],
    ] as const) {
      const login = await hit(f.app.url, "POST", `/login?user=${user}`);
      jar.apply(login.setCookie);
      const set = await hit(f.app.url, "POST", `/set?key=secret&value=${user}`, {
        header: jar.header(),
      });
      expect(set.status).toBe(200);
      jar.apply(set.setCookie);
    }
  });
  afterAll(async () => {
    await f?.close();
  });
  afterEach(async () => {
    // The victim's own cookie still works after every attack: nothing was lost or locked out.
    const h = await hit(f.app.url, "GET", "/state", { header: victim.header() });
    expect(h.status).toBe(200);
    expect(h.body["user"]).toBe("victim");
    expect(unexpectedErrors).toEqual([]);
  });

  // Regression: the session cookie was read within the parser's 8 KiB / 200 pairs, so the
  // attacker's cookie first and padding before the victim's made the victim use the attacker's session.
  it("attacker's cookie first, padded header, victim's cookie last → no session, never the attacker's", async () => {
    const paddings = [
      `pad=${"x".repeat(9000)}`,
      `pad=${"x".repeat(14_000)}`,
      smallCookies(200),
      smallCookies(1200),
      `${smallCookies(150)}; pad=${"x".repeat(6000)}`,
    ];
    // Bounded: five padded requests at once, each under Node's 16 KiB header limit.
    const answers = await Promise.all(
      paddings.map((padding) =>
        hit(f.app.url, "GET", "/state", {
          header: `${attacker.header()}; ${padding}; ${victim.header()}`,
        }),
      ),
    );
    for (const h of answers) {
      count("padded duplicate session cookie");
      expect(h.status).toBe(200);
      expect(h.body["user"]).toBeNull();
      expect(h.body["rejected"]).toBe("duplicate_cookie");
    }
    // Without the victim's copy the attacker's own session is simply theirs.
    const own = await hit(f.app.url, "GET", "/state", {
      header: `${attacker.header()}; ${smallCookies(300)}`,
    });
    expect(own.body["user"]).toBe("attacker");
  });

  // Regression: stateless sessions were written as cookies the next request could not read
  // back (data lost) or that Node refused with 431 on every later request (lock-out).
  it("a session too large for the cookie budget is refused (413), and no later request gets a 431", async () => {
    const jar = new Jar();
    const login = await hit(f.app.url, "POST", "/login?user=big");
    jar.apply(login.setCookie);
    let kept = "";
    for (const size of [100, 2500, 6000, 12_000, 30_000, 2000, 60_000, 10]) {
      count("large stateless session");
      const body = "z".repeat(size);
      const h = await hit(f.app.url, "POST", "/big", { header: jar.header(), body });
      if (stateful || size <= 2500) {
        expect(h.status).toBe(200);
        kept = body;
      } else {
        // ERR_SESSION_TOO_LARGE before anything is written: no Set-Cookie at all.
        expect(h.status).toBe(413);
        expect(h.setCookie).toEqual([]);
      }
      jar.apply(h.setCookie);
      // What the browser now sends stays within what servers accept, and still loads.
      expect(jar.header().length).toBeLessThanOrEqual(stateful ? 200 : 6144);
      const state = await hit(f.app.url, "GET", "/state", { header: jar.header() });
      expect(state.status).toBe(200);
      expect(state.body["user"]).toBe("big");
      expect((state.body["data"] as Record<string, unknown>)["big"]).toBe(kept);
      jar.apply(state.setCookie);
    }
    // Over raw HTTP too: the jar's header with the site's other cookies is far from Node's limit.
    const raw = Buffer.from(`${jar.header()}; ${smallCookies(100)}`, "latin1");
    expect(await rawStatus(f.app.port, rawCookieRequest("/state", raw))).toBe(200);
  });
});

describe.each(APP_KINDS)(
  "bearer session tokens (tokenMode authorization, %s app; only from the Authorization header)",
  (kind) => {
    let f: Fixture;
    let now = Date.now();
    beforeAll(async () => {
      f = await startFixture(kind, new MemoryStore(), {
        tokenMode: "authorization",
        now: () => now,
        idleTimeout: 600,
      });
    });
    afterAll(async () => {
      await f?.close();
    });
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
    const userWith = async (options: Parameters<typeof hit>[3], path = "/state") => {
      count("forged/replayed/expired bearer token");
      const h = await hit(f.app.url, "GET", path, options);
      expect(h.status).toBe(200);
      expect(h.setCookie).toEqual([]);
      return h.body["user"];
    };

    it("forged, misplaced, replayed and expired bearer tokens give no session", async () => {
      const token = (await hit(f.app.url, "POST", "/login?user=bea")).body["token"] as string;
      expect(await userWith(bearer(token))).toBe("bea");
      for (const bad of [
        forgedLike(token),
        `${token}x`,
        token.slice(0, -1),
        token.split(".")[0]!,
        `x${token}`,
        "a".repeat(10_000),
      ]) {
        // (A trailing space is not in this list: HTTP strips it as OWS before any code sees it.)
        expect(await userWith(bearer(bad)), JSON.stringify(bad.slice(-8))).toBeNull();
      }
      // Only the Authorization header carries it: never the Cookie header, a query or another header.
      expect(await userWith({ header: `${COOKIE}=${token}` })).toBeNull();
      // Regression: adapters once passed the Cookie header where bearer mode reads Authorization.
      expect(await userWith({ header: `Bearer ${token}` })).toBeNull();
      expect(await userWith({ headers: { "x-session-id": token } })).toBeNull();
      expect(await userWith({}, `/state?sid=${encodeURIComponent(token)}`)).toBeNull();
      expect(await userWith({ headers: { authorization: `Basic ${token}` } })).toBeNull();
      // Replayed after logout.
      expect((await hit(f.app.url, "POST", "/logout", bearer(token))).status).toBe(200);
      expect(await userWith(bearer(token))).toBeNull();
      // Expired (idle).
      const other = (await hit(f.app.url, "POST", "/login?user=old")).body["token"] as string;
      now += 601_000;
      expect(await userWith(bearer(other))).toBeNull();
    });
  },
);

describe("stateless log out everywhere under concurrency (Express, Redis revocation store)", () => {
  const ROUNDS = 10;
  const ATTACKERS = 8;
  let opened: OpenStore;
  let f: Fixture;
  beforeAll(async () => {
    opened = await openStore("redis", { timeoutMs: 5000 });
    f = await startFixture("express", undefined, { revocationStore: opened.store });
  });
  afterAll(async () => {
    await f?.close();
    await opened?.close();
  });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // Regression: requests that loaded a stolen cookie before revokeUser and committed after it
  // re-sealed it with a newer lastSeenAt; the review saw 7 of 10 runs keep 1 to 8 such cookies.
  it("requests with a stolen cookie racing revokeUser leave no cookie that signs anyone in as the victim", async () => {
    let straddled = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const user = `victim-${round}`;
      // The laptop's cookie is stolen; the victim uses the phone to log out everywhere else.
      const laptop = (await hit(f.app.url, "POST", `/login?user=${user}`)).session!;
      const phone = (await hit(f.app.url, "POST", `/login?user=${user}`)).session!;
      const attacks = Array.from({ length: ATTACKERS }, async (_, i) => {
        await pause(i * 4);
        const h = await hit(f.app.url, "POST", "/inc?wait=60", { cookie: laptop });
        return { ...h, done: performance.now() };
      });
      await pause(15);
      const revoke = await hit(f.app.url, "POST", "/revoke-others", { cookie: phone });
      const revoked = performance.now();
      expect(revoke.status).toBe(200);
      const answers = await Promise.all(attacks);
      count("stolen cookie racing revokeUser", ATTACKERS);
      for (const a of answers) {
        expect(a.status).toBe(200);
        if (a.body["user"] === user && a.done > revoked) straddled++;
      }
      // Every cookie the attacker holds now, the stolen one included, is refused.
      const held = new Set([laptop, ...answers.map((a) => a.session).filter((v) => v)]);
      for (const cookie of held) {
        const state = await hit(f.app.url, "GET", "/state", { cookie: cookie! });
        expect(state.status).toBe(200);
        expect(state.body["user"], `round ${round}: a returned cookie still signs in`).toBeNull();
      }
      // The phone, kept by revokeUser, still works.
      const kept = await hit(f.app.url, "GET", "/state", { cookie: revoke.session || phone });
      expect(kept.body["user"]).toBe(user);
    }
    // The race was really run: some requests loaded as the victim and answered after revokeUser.
    expect(straddled).toBeGreaterThan(0);
    expect(unexpectedErrors).toEqual([]);
  });
});
