import { StoreError } from "@tessera/store";
import { describeStore } from "@tessera/store/conformance/vitest";
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromIoredis, fromNodeRedis, fromNodeRedisCluster, RedisStore } from "../src/index.js";
import { clusterNodes, connected, rawNodeRedis, redisUrl, uniquePrefix } from "./clients.js";

// The store works through an ACL user that may touch only keys
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

/**
 * Creates `user` afresh on the node behind `admin`: it may touch only keys
 * under `keyPrefix` and run only `commands`, and no pub/sub channel.
 */
async function addRestrictedUser(
  admin: Raw,
  user: string,
  keyPrefix: string,
  commands: readonly string[],
): Promise<void> {
  await admin.sendCommand([
    "ACL",
    "SETUSER",
    user,
    "reset",
    "on",
    `>${password}`,
    `~${keyPrefix}*`,
    "resetchannels",
    "-@all",
    ...commands,
  ]);
}

/** ioredis options to log in as `user`, without the ready checks (INFO, CLUSTER INFO) it may not run. */
function ioredisAs(user: string) {
  return { username: user, password, enableReadyCheck: false, maxRetriesPerRequest: 1 };
}

beforeAll(async () => {
  admin = await rawNodeRedis();
  await addRestrictedUser(admin, username, prefix, COMMANDS);
  limited = await rawNodeRedis({ username, password });
  ioLimited = await connected(
    new Redis(await redisUrl(), {
      ...ioredisAs(username),
      enableOfflineQueue: false,
      lazyConnect: true,
    }),
  );
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

// The same on the shared Cluster: the user is added on every node (ACLs are per node) under
// a unique name and removed afterwards; nothing is stopped. Cluster clients also need the
// slot map commands, and the durability option WAIT, as the README lists.
describe("ACL user on the Cluster (node-redis and ioredis cluster clients)", () => {
  const clusterUser = `${username}-cluster`;
  const clusterPrefix = uniquePrefix("acl-cluster");
  const CLUSTER_COMMANDS = [...COMMANDS, "+cluster|slots", "+cluster|shards", "+wait"];
  let admins: Raw[] = [];
  let nodeRedis: ReturnType<typeof createCluster>;
  let ioredis: Cluster;

  beforeAll(async () => {
    const nodes = await clusterNodes();
    admins = await Promise.all(
      nodes.map(async ({ host, port }) => {
        const client = createClient({ url: `redis://${host}:${port}`, disableOfflineQueue: true });
        return (await connected(client)) as unknown as Raw;
      }),
    );
    for (const admin of admins) {
      await addRestrictedUser(admin, clusterUser, clusterPrefix, CLUSTER_COMMANDS);
    }
    nodeRedis = await connected(
      createCluster({
        rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
        defaults: { disableOfflineQueue: true, username: clusterUser, password },
      }),
    );
    ioredis = await connected(
      new Cluster(nodes, {
        // The cluster's own ready check sends CLUSTER INFO, which the user may not run.
        enableReadyCheck: false,
        redisOptions: ioredisAs(clusterUser),
        lazyConnect: true,
      }),
    );
  });

  afterAll(async () => {
    await nodeRedis?.quit().catch(() => undefined);
    await ioredis?.quit().catch(() => undefined);
    for (const admin of admins) {
      await admin.sendCommand(["ACL", "DELUSER", clusterUser]).catch(() => undefined);
      await admin.quit().catch(() => undefined);
    }
  });

  it("refuses keys outside the prefix and commands outside the list on every node", async () => {
    for (const store of [
      new RedisStore({ client: fromNodeRedisCluster(nodeRedis), prefix: "other:" }),
      new RedisStore({ client: fromIoredis(ioredis), prefix: "other:" }),
    ]) {
      // 16 shards spread over all three masters: every node refuses.
      for (const key of ["a", "b", "c", "d", "e", "f"]) {
        const error = await store.get(key).catch((e: unknown) => e);
        expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_BACKEND");
        expect(String((error as Error).cause)).toMatch(/NOPERM/);
      }
      const error = await store
        .set("k", { value: "v", expiresAt: Date.now() + 60_000 })
        .catch((e: unknown) => e);
      expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_BACKEND");
    }
    await expect(
      nodeRedis.sendCommand(`${clusterPrefix}x`, false, ["GET", `${clusterPrefix}x`]),
    ).rejects.toThrow(/NOPERM/);
    await expect(ioredis.call("FLUSHALL")).rejects.toThrow(/NOPERM/);
  });

  it("ioredis Cluster logged in as the user reads, writes and lists with durability", async () => {
    const store = new RedisStore({
      client: fromIoredis(ioredis),
      prefix: clusterPrefix,
      durability: { replicas: 1, timeoutMs: 1000 },
    });
    const expiresAt = Date.now() + 60_000;
    for (const key of ["a", "b", "c", "d"]) {
      expect((await store.set(key, { value: "v", expiresAt, userId: "u" })).ok).toBe(true);
    }
    await store.touch("a", expiresAt + 1000);
    expect((await store.listByUser("u")).length).toBe(4);
    expect(await store.deleteByUser("u")).toBe(4);
  });

  // The whole contract suite through the node-redis cluster client, with durability on.
  describeStore(
    "RedisStore through the ACL user on the Cluster (node-redis, durability)",
    () =>
      new RedisStore({
        client: fromNodeRedisCluster(nodeRedis),
        prefix: clusterPrefix,
        durability: { replicas: 1, timeoutMs: 1000 },
      }),
  );
});
