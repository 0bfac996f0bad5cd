import type { Server } from "node:http";
import { RedisStore } from "connect-redis";
import express from "express";
import expressSession from "express-session";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../../scripts/test-env.js";
import { type LegacySessionStore, sessionMiddleware } from "../src/index.js";
import { close, cookieOf, makeSessions, send } from "./helpers.js";

const OLD_SECRET = "the old express-session secret";
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((r) => server.once("listening", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** The app before migration: plain express-session writing into `store`. */
async function oldApp(store: unknown): Promise<string> {
  const app = express();
  app.use(expressSession({ secret: OLD_SECRET, store, resave: false, saveUninitialized: false }));
  app.get("/old", (req, res) => {
    const s = req.session as unknown as Record<string, unknown>;
    s.cart = [1, 2];
    s.account = "u_9";
    res.send("ok");
  });
  return serve(app);
}

async function newApp(store: LegacySessionStore, destroyOld = true) {
  const app = express();
  app.use(
    sessionMiddleware(makeSessions(), {
      migrateFromExpressSession: {
        store,
        secrets: ["an older secret", OLD_SECRET],
        userId: (old) => (typeof old.account === "string" ? old.account : undefined),
        destroyOld,
      },
    }),
  );
  app.get("/read", (req, res) => {
    res.json({ data: req.session.toJSON(), user: req.session.userId ?? null });
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

describe("migration options", () => {
  it.each([
    [{ store: {}, secrets: ["x"] }, /store/],
    [{ store: new expressSession.MemoryStore(), secrets: [] }, /secrets/],
    [{ store: new expressSession.MemoryStore(), secrets: ["x"], map: 1 }, /map/],
  ])("refuses %#", (option, message) => {
    expect(() =>
      sessionMiddleware(makeSessions(), { migrateFromExpressSession: option as never }),
    ).toThrow(message);
  });
});
