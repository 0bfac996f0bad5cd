/**
 * The integration matrix: every scenario over real HTTP on 127.0.0.1, for
 * every adapter × every store. One app server per cell, reused by its
 * scenarios; cells run one after another. See README.md for the table.
 */
import { parseSetCookie } from "@tessera/cookie";
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../../../scripts/http-test-kit.js";
import { ADAPTERS } from "./adapters/index.js";
import { CookieJar } from "./lib/cookie-jar.js";
import type { RunningApp } from "./lib/listen.js";
import { APP_HEADERS, type AppSessions, type Data, type SessionState } from "./lib/routes.js";
import { type SwitchableStore, switchable } from "./lib/switchable-store.js";
import { type Backend, type CellStore, STORES } from "./stores.js";

/** Seconds. Small enough to cross quickly with the cell clock, large enough for every store TTL. */
const IDLE = 600;
const ABSOLUTE = 3600;
const COOKIE = "__Host-sid";
const PARALLEL = 20;

let users = 0;
const newUser = () => `user-${++users}`;

/** Flips one character in the middle of a cookie value (never a separator). */
function tamper(value: string): string {
  let i = Math.floor(value.length / 2);
  while (value[i] === "." || value[i] === "~") i++;
  const replacement = value[i] === "A" ? "B" : "A";
  return value.slice(0, i) + replacement + value.slice(i + 1);
}

function stateOf(body: unknown): SessionState {
  return body as SessionState;
}

/** The adapters whose framework answers a route's error with its own page. */
const FRAMEWORK_ERROR_PAGES = new Set(["react-router", "sveltekit"]);
/** The adapters where the app's error handler sends the response, so the session commits. */
const ERROR_HANDLER_COMMITS = new Set(["express", "fastify"]);
/** The adapters that see only a Fetch `Request`, so record no client IP by default. */
const NO_PEER_ADDRESS = new Set(["fetch", "next"]);

describe.each(STORES)("store $name", (kind) => {
  const stateless = kind.stateless === true;
  let backend: Backend | undefined;

  beforeAll(async () => {
    // Real servers: requireService fails (never skips) with how to start them.
    backend = await kind.open();
  }, 20_000);

  afterAll(async () => {
    await backend?.close();
  });

  describe.each(ADAPTERS)("adapter $name", (adapter) => {
    let app: RunningApp | undefined;
    let cellStore: CellStore | undefined;
    let outage: SwitchableStore | undefined;
    let sessions: AppSessions | undefined;
    let offset = 0;
    /** The manager's clock: real time plus what the scenarios advanced; only moves forward. */
    const clock = () => Date.now() + offset;
    const advance = (seconds: number) => {
      offset += seconds * 1000;
    };
    const client = () => {
      if (app === undefined) throw new Error("cell did not start");
      return new CookieJar(app.url);
    };

    beforeAll(async () => {
      if (backend === undefined) throw new Error(`store ${kind.name} did not open`);
      if (!stateless) {
        cellStore = await backend.create(adapter.name, clock);
        outage = switchable(cellStore.store);
      }
      sessions = createSessions<Data, Data>({
        keys: createKeyring([{ id: "harness", secret: randomToken(32) }]),
        ...(outage === undefined ? {} : { store: outage.store }),
        idleTimeout: IDLE,
        absoluteTimeout: ABSOLUTE,
        clearSiteDataOnLogout: true,
        // The default maxRetries on purpose: the concurrency scenario proves the
        // defaults survive PARALLEL writers to one session (README, "Findings").
        now: clock,
      });
      app = await adapter.start(sessions);
    }, 20_000);

    afterAll(async () => {
      await app?.close();
      await outage?.cleanup();
      await cellStore?.dispose();
    });

    it("create: nothing is sent until the session holds data, then one secure host-only cookie", async () => {
      const jar = client();
      const empty = await jar.read("/state");
      expect(empty.status).toBe(200);
      expect(stateOf(empty.body)).toEqual({ isNew: true, userId: null, data: {} });
      expect(empty.setCookie).toEqual([]);

      const created = await jar.post("/set?cart=apple");
      expect(created.status).toBe(200);
      expect(stateOf(created.body)).toEqual({ isNew: true, userId: null, data: { cart: "apple" } });
      expect(created.setCookie).toHaveLength(1);
      const cookie = parseSetCookie(created.setCookie[0] as string);
      expect(cookie).toMatchObject({
        name: COOKIE,
        attributes: { path: "/", secure: true, httpOnly: true, sameSite: "lax" },
      });
      expect(cookie?.attributes.domain).toBeUndefined();
      expect(cookie?.attributes.maxAge).toBeUndefined();
      expect(created.headers.get("cache-control")).toContain("no-store");
      expect(created.headers.get("vary")?.toLowerCase()).toContain("cookie");
    });

    it("the app's own Set-Cookie and Vary stay beside the session's: separate fields, never joined", async () => {
      const reply = await client().read("/theme?cart=apple");
      expect(reply.status).toBe(200);
      // One field per cookie: joined with ", " the comma in Expires would
      // split the app's cookie in two (RFC 6265 §3, RFC 9110 §5.3).
      expect(reply.setCookie).toHaveLength(2);
      expect(reply.setCookie).toContain(APP_HEADERS[0]?.[1]);
      expect(reply.setCookie.some((line) => line.startsWith(`${COOKIE}=`))).toBe(true);
      const vary = (reply.headers.get("vary") ?? "").toLowerCase().split(/\s*,\s*/);
      expect(vary).toEqual(expect.arrayContaining(["accept", "cookie"]));
    });

    it("read: the next request sees the data and gets no new cookie", async () => {
      const jar = client();
      await jar.post("/set?cart=apple&size=3");
      const cookie = jar.get(COOKIE);
      const read = await jar.read("/state");
      expect(read.status).toBe(200);
      expect(stateOf(read.body)).toEqual({
        isNew: false,
        userId: null,
        data: { cart: "apple", size: "3" },
      });
      expect(read.setCookie).toEqual([]);
      expect(jar.get(COOKIE)).toBe(cookie);
    });

    // Every adapter and withSessions follow one end-of-request policy: a HEAD
    // or OPTIONS response shows no page and a 304 reuses one the browser
    // has, so a change made while serving them was never seen and must not
    // be stored or rotate the cookie.
    it.each([
      { label: "HEAD", method: "HEAD", query: "", status: 200 },
      { label: "OPTIONS", method: "OPTIONS", query: "", status: 200 },
      { label: "a 304", method: "GET", query: "&status=304", status: 304 },
    ])(
      "$label commits nothing: no cookie, nothing stored, the next GET sees the old state",
      async ({ method, query, status }) => {
        const written = () => outage?.writtenKeys.size ?? 0;
        const before = written();
        const fresh = client();
        const created = await fresh.request(method, `/touch?cart=plum${query}`);
        expect(created.status).toBe(status);
        expect(created.setCookie).toEqual([]);
        expect(fresh.names()).toEqual([]);
        expect(written()).toBe(before);

        const jar = client();
        await jar.post("/set?cart=apple");
        const cookie = jar.get(COOKIE);
        const stored = written();
        const changed = await jar.request(method, `/touch?cart=pear&color=red${query}`);
        expect(changed.status).toBe(status);
        expect(changed.setCookie).toEqual([]);
        expect(written()).toBe(stored);
        expect(jar.get(COOKIE)).toBe(cookie);
        const after = await jar.read("/state");
        expect(stateOf(after.body)).toEqual({
          isNew: false,
          userId: null,
          data: { cart: "apple" },
        });
        expect(after.setCookie).toEqual([]);
      },
    );

    it("read across two Cookie header lines: the session cookie in the second is found", async () => {
      const jar = client();
      await jar.post("/set?cart=apple");
      // Written to the socket as is: fetch and node:http would join the two
      // Cookie lines that some clients and proxies send.
      const { host } = new URL(app?.url ?? "");
      const raw = await rawRequest(app?.url ?? "", [
        "GET /state HTTP/1.1",
        `Host: ${host}`,
        "Connection: close",
        "Cookie: a=1",
        `Cookie: ${COOKIE}=${jar.get(COOKIE)}`,
      ]);
      expect(raw).toMatch(/^HTTP\/1\.1 200/);
      expect(raw).toContain('"isNew":false');
      expect(raw).toContain('"data":{"cart":"apple"}');
    });

    it("modify: changes, additions and deletions persist across requests", async () => {
      const jar = client();
      await jar.post("/set?cart=apple");
      await jar.post("/set?cart=pear&color=red");
      const deleted = await jar.post("/delete?key=cart");
      expect(deleted.status).toBe(200);
      await jar.post("/set?size=9");
      const read = await jar.read("/state");
      expect(stateOf(read.body)).toEqual({
        isNew: false,
        userId: null,
        data: { color: "red", size: "9" },
      });
    });

    it("regenerate on login: a new cookie, only carry-over keys, the pre-login cookie never authenticates", async () => {
      const jar = client();
      await jar.post("/set?cart=apple&draft=x");
      const before = jar.get(COOKIE);
      expect(before).toBeDefined();
      const user = newUser();
      const login = await jar.post(`/login?user=${user}`);
      expect(login.status).toBe(200);
      expect(stateOf(login.body)).toMatchObject({ userId: user, data: { cart: "apple" } });
      const after = jar.get(COOKIE);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect(stateOf((await jar.read("/state")).body)).toEqual({
        isNew: false,
        userId: user,
        data: { cart: "apple" },
      });

      // An attacker who planted or saw the pre-login cookie (session fixation).
      const fixated = client();
      fixated.set(COOKIE, before as string);
      const replay = stateOf((await fixated.read("/state")).body);
      expect(replay.userId).toBeNull();
      if (stateless) {
        // Documented: a sealed cookie cannot be revoked; the old copy is still
        // the anonymous pre-login session until its deadline.
        expect(replay).toEqual({ isNew: false, userId: null, data: { cart: "apple", draft: "x" } });
      } else {
        expect(replay).toEqual({ isNew: true, userId: null, data: {} });
      }
    });

    it("logout clears the cookie, asks the browser to clear its data, and ends the session", async () => {
      const jar = client();
      const user = newUser();
      await jar.post("/set?cart=apple");
      await jar.post(`/login?user=${user}`);
      const copy = jar.clone();
      const logout = await jar.post("/logout");
      expect(logout.status).toBe(200);
      expect(logout.body).toEqual({ serverSideRevoked: !stateless });
      // The session's own headers reach the client through every adapter.
      expect(logout.headers.get("clear-site-data")).toBe('"cache", "cookies", "storage"');
      const cleared = logout.setCookie
        .map((line) => parseSetCookie(line))
        .filter((cookie) => cookie?.name === COOKIE);
      expect(cleared).toHaveLength(1);
      expect(cleared[0]?.value).toBe("");
      expect(cleared[0]?.attributes.maxAge).toBe(0);
      expect(jar.names()).toEqual([]);
      expect(stateOf((await jar.read("/state")).body)).toEqual({
        isNew: true,
        userId: null,
        data: {},
      });

      const replay = stateOf((await copy.read("/state")).body);
      if (stateless) {
        // Documented in the session README: stateless logout only clears the
        // cookie; a copy stays valid until its idle or absolute deadline.
        expect(replay).toEqual({ isNew: false, userId: user, data: { cart: "apple" } });
      } else {
        expect(replay).toEqual({ isNew: true, userId: null, data: {} });
      }
    });

    it("idle expiry: activity slides the deadline; idleTimeout of inactivity gives a fresh session", async () => {
      const jar = client();
      const user = newUser();
      await jar.post(`/login?user=${user}`);
      await jar.post("/set?cart=apple");
      for (let i = 0; i < 3; i++) {
        advance(IDLE - 30);
        const alive = await jar.read("/state");
        expect(alive.status).toBe(200);
        expect(stateOf(alive.body)).toEqual({
          isNew: false,
          userId: user,
          data: { cart: "apple" },
        });
      }
      advance(IDLE + 1);
      const expired = await jar.read("/state");
      expect(expired.status).toBe(200);
      // expired_idle or unknown_id (a store that dropped it itself): both are a fresh session.
      expect(stateOf(expired.body)).toEqual({ isNew: true, userId: null, data: {} });
      const next = await jar.post("/set?color=red");
      expect(stateOf(next.body)).toEqual({ isNew: true, userId: null, data: { color: "red" } });
    });

    it("absolute expiry: steady activity never extends a session past absoluteTimeout", async () => {
      const jar = client();
      const user = newUser();
      await jar.post(`/login?user=${user}`);
      const step = 500; // < IDLE, so only the absolute deadline can end it
      let elapsed = 0;
      while (elapsed + step < ABSOLUTE) {
        advance(step);
        elapsed += step;
        const alive = await jar.read("/state");
        expect(stateOf(alive.body)).toMatchObject({ isNew: false, userId: user });
      }
      advance(step);
      const expired = await jar.read("/state");
      expect(expired.status).toBe(200);
      expect(stateOf(expired.body)).toEqual({ isNew: true, userId: null, data: {} });
    });

    // SvelteKit and React Router turn a route's error into their own 500 page,
    // which the adapter cannot change (their READMEs say to check isFresh).
    if (!FRAMEWORK_ERROR_PAGES.has(adapter.name)) {
      it("step-up refused: 401, no-store, no cookie, the session unchanged", async () => {
        const jar = client();
        await jar.post("/set?cart=apple");
        const cookie = jar.get(COOKIE);
        // requireFresh refuses a session that never logged in (OWASP ASVS 4.0 §3.7.1).
        const refused = await jar.post("/step-up?cart=pear");
        expect(refused.status).toBe(401);
        expect(refused.headers.get("cache-control")).toBe("no-store");
        // Express and Fastify pass the error to the app's error handler, whose
        // response still commits what the route set (in stateless mode, as a
        // new cookie): not asserted there.
        const committed = ERROR_HANDLER_COMMITS.has(adapter.name);
        if (!committed || !stateless) {
          expect(refused.setCookie).toEqual([]);
          expect(jar.get(COOKIE)).toBe(cookie);
        }
        if (!committed) {
          expect(stateOf((await jar.read("/state")).body).data).toEqual({ cart: "apple" });
        }
      });
    }

    // A failed route's changes used to be stored (or, stateless, sent as a new
    // cookie) with its 500 on Express, Fastify and Hono.
    it("failing route: 500, no cookie, none of its changes kept", async () => {
      const jar = client();
      await jar.post("/set?cart=apple");
      const cookie = jar.get(COOKIE);
      const failed = await jar.post("/fail?cart=pear&coupon=half");
      expect(failed.status).toBe(500);
      expect(failed.setCookie).toEqual([]);
      expect(jar.get(COOKIE)).toBe(cookie);
      expect(stateOf((await jar.read("/state")).body).data).toEqual({ cart: "apple" });
      // A new visitor whose first request fails gets no session at all.
      const stranger = client();
      expect((await stranger.post("/fail?cart=pear")).setCookie).toEqual([]);
    });

    it("tampered cookie: a fresh session, the real one untouched", async () => {
      const jar = client();
      await jar.post("/set?cart=apple");
      const real = jar.get(COOKIE) as string;
      for (const forged of [tamper(real), real.slice(0, -1), `${real}A`, "AAAA", ""]) {
        const evil = client();
        evil.set(COOKIE, forged);
        const read = await evil.read("/state");
        expect(read.status, forged).toBe(200);
        expect(stateOf(read.body), forged).toEqual({ isNew: true, userId: null, data: {} });
        const write = await evil.post("/set?mine=1");
        expect(stateOf(write.body)).toEqual({ isNew: true, userId: null, data: { mine: "1" } });
        expect(evil.get(COOKIE)).not.toBe(forged);
        expect(evil.get(COOKIE)).not.toBe(real);
      }
      expect(stateOf((await jar.read("/state")).body)).toEqual({
        isNew: false,
        userId: null,
        data: { cart: "apple" },
      });
    });

    it("revoke-all from another client: the user's other sessions end, this one and other users' stay", async () => {
      const user = newUser();
      const other = newUser();
      const laptop = client();
      const phone = client();
      const stranger = client();
      await laptop.post("/set?cart=apple");
      await laptop.post(`/login?user=${user}`);
      await phone.post(`/login?user=${user}`);
      await stranger.post(`/login?user=${other}`);

      const revoke = await phone.post("/revoke-others");
      if (stateless) {
        // Documented: no server state, so no per-user index to revoke with.
        expect(revoke.status).toBe(501);
        expect(revoke.body).toEqual({ error: "ERR_SESSION_UNSUPPORTED" });
        expect(stateOf((await laptop.read("/state")).body)).toMatchObject({ userId: user });
        return;
      }
      expect(revoke.status).toBe(200);
      expect(revoke.body).toEqual({ revoked: 1 });
      expect(stateOf((await laptop.read("/state")).body)).toEqual({
        isNew: true,
        userId: null,
        data: {},
      });
      expect(stateOf((await phone.read("/state")).body)).toMatchObject({
        isNew: false,
        userId: user,
      });
      expect(stateOf((await stranger.read("/state")).body)).toMatchObject({
        isNew: false,
        userId: other,
      });
    });

    it(`concurrent modifications: ${PARALLEL} parallel requests setting different keys`, async () => {
      const jar = client();
      await jar.post("/set?base=0");
      const replies = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => jar.post(`/set?k${i}=v${i}`)),
      );
      expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
      const data = stateOf((await jar.read("/state")).body).data;
      if (stateless) {
        // Inherent to data-in-cookie sessions: each response carries a whole
        // new cookie and the client keeps the last one; nothing can merge them.
        expect(Object.keys(data)).toHaveLength(2);
        expect(data.base).toBe("0");
        return;
      }
      const expected: Data = { base: "0" };
      for (let i = 0; i < PARALLEL; i++) expected[`k${i}`] = `v${i}`;
      expect(data).toEqual(expected);
    });

    // React Router's getSession sees only the Cookie header (its README says so).
    if (!stateless && adapter.name !== "react-router") {
      it("device details: the user's session list shows the request's User-Agent and client IP", async () => {
        const user = newUser();
        await client().request("POST", `/login?user=${user}`, { "user-agent": "t/1" });
        const rows = await sessions?.listUserSessions(user);
        expect(rows).toHaveLength(1);
        expect(rows?.[0]?.userAgent).toBe("t/1");
        // A Fetch Request carries no peer address: the app passes one in meta.
        if (NO_PEER_ADDRESS.has(adapter.name)) expect(rows?.[0]?.ip).toBeUndefined();
        else expect(rows?.[0]?.ip).toMatch(/127\.0\.0\.1$/);
      });
    }

    if (!stateless) {
      it("store outage: 503 on read and write, no cookie lost or issued, full recovery", async () => {
        const control = outage as SwitchableStore;
        const user = newUser();
        const jar = client();
        await jar.post("/set?cart=apple");
        await jar.post(`/login?user=${user}`);
        const cookie = jar.get(COOKIE);

        control.failing = true;
        try {
          const read = await jar.read("/state");
          expect(read.status).toBe(503);
          const write = await jar.post("/set?cart=pear");
          expect(write.status).toBe(503);
          const stranger = client();
          const fresh = await stranger.post("/set?cart=plum");
          expect(fresh.status).toBe(503);
          for (const reply of [read, write, fresh]) {
            expect(reply.setCookie).toEqual([]);
            // Every adapter answers an outage as httpFailure says: retry later, never cached.
            expect(reply.headers.get("retry-after")).toBe("5");
            expect(reply.headers.get("cache-control")).toBe("no-store");
            // Nothing from the error reaches the client: no stack, no backend
            // address, no session id (OWASP Error Handling Cheat Sheet).
            const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
            expect(text).not.toMatch(/\bat\s|\.ts:|\.js:|ECONNREFUSED|switched off/);
            expect(text).not.toContain(String(cookie).slice(0, 20));
          }
          expect(jar.get(COOKIE)).toBe(cookie);
          expect(stranger.names()).toEqual([]);
        } finally {
          control.failing = false;
        }

        expect(stateOf((await jar.read("/state")).body)).toEqual({
          isNew: false,
          userId: user,
          data: { cart: "apple" },
        });
        const write = await jar.post("/set?cart=pear");
        expect(write.status).toBe(200);
        expect(stateOf((await jar.read("/state")).body).data).toEqual({ cart: "pear" });
        const fresh = await client().post("/set?cart=plum");
        expect(fresh.status).toBe(200);
      });
    }
  });
});

// Next.js is left out: it refuses a bearer-token manager at startup, since
// Server Components and Server Actions can only carry a cookie. React Router
// refuses one too: its session storage API reads and writes only a cookie.
const COOKIE_ONLY = new Set(["next", "react-router"]);
describe.each(ADAPTERS.filter((adapter) => !COOKIE_ONLY.has(adapter.name)))(
  "bearer tokens (tokenMode: authorization) on adapter $name",
  (adapter) => {
    let app: RunningApp | undefined;

    beforeAll(async () => {
      app = await adapter.start(
        createSessions<Data, Data>({
          keys: createKeyring([{ id: "harness", secret: randomToken(32) }]),
          store: new MemoryStore(),
          tokenMode: "authorization",
        }),
      );
    }, 20_000);

    afterAll(async () => {
      await app?.close();
    });

    it("reads only Authorization: Bearer, sends no cookie, and marks the token no-store", async () => {
      if (app === undefined) throw new Error("cell did not start");
      const client = new CookieJar(app.url);
      const user = newUser();
      const login = await client.post(`/login?user=${user}`);
      expect(login.status).toBe(200);
      expect(login.setCookie).toEqual([]);
      // No cache may keep a response carrying a token (RFC 6749 §5.1).
      expect(login.headers.get("cache-control")).toBe("no-store");
      const { token } = login.body as { token: string };
      expect(token).toEqual(expect.any(String));

      const bearer = await client.request("GET", "/state", { authorization: `Bearer ${token}` });
      expect(stateOf(bearer.body)).toMatchObject({ isNew: false, userId: user });
      expect(bearer.setCookie).toEqual([]);

      // The same token in a cookie is not read: a browser sends cookies on its
      // own, so accepting one would bring cross-site request forgery back.
      const cookie = await client.request("GET", "/state", { cookie: `${COOKIE}=${token}` });
      expect(stateOf(cookie.body)).toEqual({ isNew: true, userId: null, data: {} });
      expect(cookie.setCookie).toEqual([]);
    });
  },
);
