import { StoreError } from "@tessera/store";
import { describeStore } from "@tessera/store/conformance/vitest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromIoredis, fromNodeRedis, RedisStore } from "../src/index.js";
import { rawNodeRedis, redisUrl, uniquePrefix } from "./clients.js";

// ST-07 / T-S17: the store works through an ACL user that may touch only keys
// under its prefix and run only the commands the README lists, and that user
// is refused everywhere else. The user exists only for this file's run.

/** Exactly the README's list: what the store sends plus what its scripts run. */
const COMMANDS = [
  "+hmget",
  "+evalsha",
  "+eval",
  "+hget",
  "+hset",
  "+del",
  "+pexpireat",
  "+zadd",
  "+zrem",
  "+zrange",
  "+zremrangebyscore",
];

const prefix = uniquePrefix("acl");
const username = `tessera-acl-${Math.random().toString(36).slice(2, 10)}`;
const password = `pw-${crypto.randomUUID()}`;

type Raw = Awaited<ReturnType<typeof rawNodeRedis>>;
let admin: Raw;
let limited: Raw;
let ioLimited: Redis;

beforeAll(async () => {
  admin = await rawNodeRedis();
  await admin.sendCommand([
    "ACL",
    "SETUSER",
    username,
    "reset",
    "on",
    `>${password}`,
    `~${prefix}*`,
    "resetchannels",
    "-@all",
    ...COMMANDS,
  ]);
  limited = await rawNodeRedis({ username, password });
  // enableReadyCheck: false, because the ready check sends INFO, which the user may not run.
  ioLimited = new Redis(await redisUrl(), {
    username,
    password,
    enableReadyCheck: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  ioLimited.on("error", () => undefined);
  await ioLimited.connect();
});

afterAll(async () => {
  await limited?.quit().catch(() => undefined);
  await ioLimited?.quit().catch(() => undefined);
  await admin.sendCommand(["ACL", "DELUSER", username]);
  await admin.quit();
});

describe("ACL user restricted to the prefix and the listed commands", () => {
  it("is really restricted (so the suite below proves the list is enough)", async () => {
    const whoami = await limited.sendCommand(["ACL", "WHOAMI"]).catch((error: Error) => error);
    expect(String(whoami)).toMatch(/NOPERM/);
    await expect(limited.sendCommand(["GET", "other:key"])).rejects.toThrow(/NOPERM/);
    await expect(limited.sendCommand(["HMGET", "other:key", "v"])).rejects.toThrow(/NOPERM/);
    await expect(limited.sendCommand(["KEYS", `${prefix}*`])).rejects.toThrow(/NOPERM/);
    await expect(limited.sendCommand(["FLUSHALL"])).rejects.toThrow(/NOPERM/);
    await expect(limited.sendCommand(["SCRIPT", "FLUSH"])).rejects.toThrow(/NOPERM/);
  });

  it("a store with a prefix outside the pattern is refused: ERR_STORE_BACKEND with NOPERM as cause", async () => {
    const outside = new RedisStore({ client: fromNodeRedis(limited), prefix: "other:" });
    for (const attempt of [
      () => outside.get("k"),
      () => outside.set("k", { value: "v", expiresAt: Date.now() + 60_000 }),
      () => outside.delete("k"),
    ]) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_BACKEND");
      expect(String((error as Error).cause)).toMatch(/NOPERM/);
    }
    const fromIo = await new RedisStore({ client: fromIoredis(ioLimited), prefix: "other:" })
      .get("k")
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(fromIo) && fromIo.code).toBe("ERR_STORE_BACKEND");
  });

  it("ioredis logged in as the user reads and writes under the prefix", async () => {
    const store = new RedisStore({ client: fromIoredis(ioLimited), prefix });
    const expiresAt = Date.now() + 60_000;
    expect(
      await store.set("io", { value: "v", expiresAt, userId: "u" }, { expectVersion: 0 }),
    ).toEqual({
      ok: true,
      version: 1,
    });
    await store.touch("io", expiresAt + 1000);
    expect((await store.listByUser("u")).length).toBe(1);
    expect(await store.deleteByUser("u")).toBe(1);
  });
});

// The whole contract suite through node-redis logged in as the restricted user.
describeStore(
  "RedisStore through the ACL user (node-redis)",
  () => new RedisStore({ client: fromNodeRedis(limited), prefix }),
  { userIndex: true },
);
