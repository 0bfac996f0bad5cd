import { createServer } from "node:http";
import { RedisStore } from "connect-redis";
import express from "express";
import expressSession from "express-session";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../../scripts/test-env.js";
import {
  type LegacySessionStore,
  type MigrateFromExpressSessionOptions,
  sessionMiddleware,
} from "../src/index.js";
import { cookieOf, makeSessions, send, serversPerTest } from "./helpers.js";

const OLD_SECRET = "the old express-session secret";
const servers = serversPerTest();

async function serve(app: express.Express): Promise<string> {
  return servers.listen(createServer(app));
}

const DAY = 86_400_000;

/**
 * The app before migration: plain express-session writing into `store`.
 * `maxAge` is the old cookie's (null: a browser-session cookie, no expiry).
 */
async function oldApp(store: unknown, maxAge: number | null = DAY): Promise<string> {
  const app = express();
  app.use(
    expressSession({
      secret: OLD_SECRET,
      store,
      resave: false,
      saveUninitialized: false,
      ...(maxAge === null ? {} : { cookie: { maxAge } }),
    }),
  );
  app.get("/old", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.cart = [1, 2];
    s.account = "u_9";
    if (typeof req.query.loginAt === "string") s.loginAt = Number(req.query.loginAt);
    res.send("ok");
  });
  return serve(app);
}

async function newApp(
  store: LegacySessionStore,
  destroyOld = true,
  extra: Partial<MigrateFromExpressSessionOptions> = {},
) {
  const app = express();
  app.use(
    sessionMiddleware(makeSessions(), {
      migrateFromExpressSession: {
        store,
        secrets: ["an older secret", OLD_SECRET],
        userId: (old) => (typeof old.account === "string" ? old.account : undefined),
        destroyOld,
        ...extra,
      },
    }),
  );
  app.get("/read", (req, res) => {
    const { loginAt: _, ...data } = req.session.toJSON() as Record<string, unknown>;
    res.json({ data, user: req.session.userId ?? null });
  });
  app.get("/times", (req, res) => {
    res.json({
      user: req.session.userId ?? null,
      authTime: req.session.authTime ?? null,
      createdAt: req.session.createdAt,
      fresh: req.session.isFresh(300),
    });
  });
  app.post("/delete-account", (req, res) => {
    req.session.requireFresh(300);
    res.send("deleted");
  });
  app.get("/inc", (req, res) => {
    req.session.set("n", 1);
    res.send("ok");
  });
  return serve(app);
}

function legacyGet(store: LegacySessionStore, sid: string) {
  return new Promise<unknown>((resolve, reject) =>
    store.get(sid, (error, data) => (error ? reject(error) : resolve(data ?? null))),
  );
}

function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
  return value.slice(2, value.lastIndexOf("."));
}

function migrationSuite(name: string, makeStore: () => LegacySessionStore) {
  describe(`migration from express-session (${name})`, () => {
    it("moves the old session into a Tessera session, clears the old cookie and destroys the old session", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      expect(legacy).toMatch(/^connect\.sid=s%3A/);
      expect(await legacyGet(store, sidOf(legacy))).toMatchObject({ cart: [1, 2] });

      const base = await newApp(store);
      const r = await send(base, "/read", { cookie: legacy });
      expect(JSON.parse(r.body)).toEqual({ data: { cart: [1, 2], account: "u_9" }, user: "u_9" });
      const tessera = cookieOf(r, "__Host-sid")!;
      expect(tessera).toBeDefined();
      expect(r.setCookie.find((c) => c.startsWith("connect.sid="))).toMatch(
        /^connect\.sid=; Path=\/; .*Max-Age=0/,
      );
      expect(r.headers["cache-control"]).toBe("no-store");
      expect(await legacyGet(store, sidOf(legacy))).toBeNull();

      const again = await send(base, "/read", { cookie: tessera });
      expect(JSON.parse(again.body).data).toEqual({ cart: [1, 2], account: "u_9" });
      expect(again.setCookie).toEqual([]);
    });

    it("leaves the old session in place with destroyOld: false", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      const r = await send(await newApp(store, false), "/read", { cookie: legacy });
      expect(JSON.parse(r.body).user).toBe("u_9");
      expect(await legacyGet(store, sidOf(legacy))).toMatchObject({ cart: [1, 2] });
    });

    it("ignores a tampered legacy cookie and leaves it alone", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      const tampered = legacy.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
      const r = await send(await newApp(store), "/read", { cookie: tampered });
      expect(JSON.parse(r.body)).toEqual({ data: {}, user: null });
      expect(r.setCookie).toEqual([]);
      expect(await legacyGet(store, sidOf(legacy))).not.toBeNull();
    });

    // Regression: the migrated session got authTime = createdAt = the
    // migration instant, so a weeks-old legacy session passed step-up and
    // restarted the absolute timeout.
    it("a migrated session is never fresh and ends no later than the old cookie", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store, 20 * 60_000), "/old"), "connect.sid")!;
      const old = (await legacyGet(store, sidOf(legacy))) as { cookie: { expires: string } };
      const base = await newApp(store);
      const r = await send(base, "/times", { cookie: legacy });
      const times = JSON.parse(r.body);
      expect(times).toMatchObject({ user: "u_9", authTime: null, fresh: false });
      // The default absolute timeout is 12 h; the old cookie had 20 minutes left.
      expect(times.createdAt + 12 * 3_600_000).toBeLessThanOrEqual(Date.parse(old.cookie.expires));
      const tessera = cookieOf(r, "__Host-sid")!;
      const step = await send(base, "/delete-account", { method: "POST", cookie: tessera });
      expect(step.status).toBe(401);
    });

    it("refuses two legacy cookies (cookie tossing), even with one padded past the parser's limits", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      const tossed = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      const padding = Array.from({ length: 250 }, (_, i) => `p${i}=${"x".repeat(20)}`).join("; ");
      const base = await newApp(store);
      for (const header of [`${tossed}; ${legacy}`, `${tossed}; ${padding}; ${legacy}`]) {
        const r = await send(base, "/read", { cookie: header });
        expect(JSON.parse(r.body)).toEqual({ data: {}, user: null });
        expect(cookieOf(r, "__Host-sid")).toBeUndefined();
        expect(r.setCookie.find((c) => c.startsWith("connect.sid="))).toMatch(/Max-Age=0/);
      }
      expect(await legacyGet(store, sidOf(legacy))).not.toBeNull();
      expect(await legacyGet(store, sidOf(tossed))).not.toBeNull();
    });

    it("does not migrate when the request already has a valid Tessera session", async () => {
      const store = makeStore();
      const legacy = cookieOf(await send(await oldApp(store), "/old"), "connect.sid")!;
      const base = await newApp(store);
      const tessera = cookieOf(await send(base, "/inc"), "__Host-sid")!;
      const r = await send(base, "/read", { cookie: `${tessera}; ${legacy}` });
      expect(JSON.parse(r.body)).toEqual({ data: { n: 1 }, user: null });
      expect(await legacyGet(store, sidOf(legacy))).not.toBeNull();
    });
  });
}

migrationSuite("MemoryStore", () => new expressSession.MemoryStore() as LegacySessionStore);

describe("with connect-redis on the Redis test service", () => {
  // A missing service fails here with the start hint; it is never skipped.
  let redis: ReturnType<typeof createClient> | undefined;
  const prefix = `tessera-express-test:${process.pid}:${Date.now()}:`;
  beforeAll(async () => {
    redis = createClient({ url: await requireService("REDIS_URL") });
    await redis.connect();
  });
  afterAll(async () => {
    if (redis === undefined) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });
  migrationSuite(
    "connect-redis",
    () => new RedisStore({ client: redis, prefix }) as unknown as LegacySessionStore,
  );
});

describe("the migrated session's absolute window (MemoryStore)", () => {
  /** An old session that stored its login time, and a new app that reads it as `createdAt`. */
  async function withLoginAt(loginAt: number) {
    const store = new expressSession.MemoryStore() as LegacySessionStore;
    const legacy = cookieOf(
      await send(await oldApp(store), `/old?loginAt=${loginAt}`),
      "connect.sid",
    )!;
    const base = await newApp(store, true, {
      createdAt: (old) => (typeof old.loginAt === "number" ? old.loginAt : undefined),
    });
    return { base, legacy };
  }

  it("runs from the old session's creation time when the app knows it", async () => {
    const loginAt = Date.now() - 3_600_000;
    const { base, legacy } = await withLoginAt(loginAt);
    const times = JSON.parse((await send(base, "/times", { cookie: legacy })).body);
    expect(times).toMatchObject({ user: "u_9", authTime: null, createdAt: loginAt });
  });

  it("does not carry a login over when the old session's age is unknown (no creation time, no cookie expiry)", async () => {
    const store = new expressSession.MemoryStore() as LegacySessionStore;
    const legacy = cookieOf(await send(await oldApp(store, null), "/old"), "connect.sid")!;
    const r = await send(await newApp(store), "/read", { cookie: legacy });
    expect(JSON.parse(r.body)).toEqual({ data: {}, user: null });
    expect(cookieOf(r, "__Host-sid")).toBeUndefined();
    expect(r.setCookie.find((c) => c.startsWith("connect.sid="))).toMatch(/Max-Age=0/);
    expect(await legacyGet(store, sidOf(legacy))).toBeNull();
  });

  it("does not carry a login over when the old session began more than the absolute timeout ago", async () => {
    const { base, legacy } = await withLoginAt(Date.now() - 13 * 3_600_000);
    const r = await send(base, "/read", { cookie: legacy });
    expect(JSON.parse(r.body)).toEqual({ data: {}, user: null });
  });
});

describe("migration options", () => {
  it.each([
    [{ store: {}, secrets: ["x"] }, /store/],
    [{ store: new expressSession.MemoryStore(), secrets: [] }, /secrets/],
    [{ store: new expressSession.MemoryStore(), secrets: ["x"], map: 1 }, /map/],
    [{ store: new expressSession.MemoryStore(), secrets: ["x"], createdAt: 1 }, /createdAt/],
  ])("refuses %#", (option, message) => {
    expect(() =>
      sessionMiddleware(makeSessions(), { migrateFromExpressSession: option as never }),
    ).toThrow(message);
  });
});
