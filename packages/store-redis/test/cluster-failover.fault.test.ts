import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateCluster, startPrivateCluster } from "../../../scripts/redis-cluster.js";
import { fromIoredis, fromNodeRedisCluster, RedisStore } from "../src/index.js";
import { fnv1a, shardTags, slotOf } from "../src/lib/slots.js";
import { expectUnavailable } from "./helpers.js";

// A master of a Redis Cluster SIGKILLed: until its replica takes over, calls for
// its keys reject with StoreUnavailableError within commandTimeout (never a
// null that would read as "no session"), nothing leaks an unhandled rejection,
// and afterwards the same store objects serve every key written before the
// kill. On the test's own cluster: the shared one on 7301-7306 is never touched.

const COMMAND_TIMEOUT = 1000;
// No cause required: a write that WAIT finds unreplicated (durability) fails
// with no client error behind it.
const OUTAGE = { commandTimeout: COMMAND_TIMEOUT };
const KEYS = Array.from({ length: 48 }, (_, i) => `key${i}`);
const TAGS = shardTags(16);
const slotOfKey = (key: string) => slotOf(TAGS[fnv1a(key) % TAGS.length]!);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let cluster: PrivateCluster;
const quits: Array<() => Promise<unknown>> = [];
const stores = new Map<string, RedisStore>();

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  cluster = await startPrivateCluster();
  const rootNodes = cluster.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` }));
  // Both clients as the README configures them.
  const nodeRedis = createCluster({
    rootNodes,
    defaults: {
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(50 * retries, 500) },
    },
  });
  nodeRedis.on("error", () => undefined);
  await nodeRedis.connect();
  quits.push(async () => nodeRedis.destroy());
  const ioredis = new Cluster([...cluster.nodes], {
    redisOptions: { maxRetriesPerRequest: 1 },
    lazyConnect: true,
  });
  ioredis.on("error", () => undefined);
  await ioredis.connect();
  quits.push(async () => ioredis.disconnect());
  // durability: the writes before the kill are on the replica, so "readable afterwards" is
  // a property of the store, not of replication timing.
  const durability = { replicas: 1, timeoutMs: 500 };
  for (const [kind, client] of [
    ["node-redis", fromNodeRedisCluster(nodeRedis)],
    ["ioredis", fromIoredis(ioredis)],
  ] as const) {
    stores.set(
      kind,
      new RedisStore({
        client,
        prefix: `fault:${kind}:`,
        commandTimeout: COMMAND_TIMEOUT,
        durability,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  try {
    for (const quit of quits) await quit().catch(() => undefined);
  } finally {
    // Never leave the private cluster's processes behind, whatever the clients did.
    await cluster?.close();
  }
});

async function untilWorking(store: RedisStore, key: string) {
  let last: unknown;
  for (let i = 0; i < 150; i++) {
    try {
      await store.set(key, { value: "probe", expiresAt: Date.now() + 60_000 });
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${store.prefix} did not recover within 15 s: ${String(last)}`);
}

describe("Redis Cluster: one master SIGKILLed, its replica takes over", () => {
  it("rejects as unavailable during the failover, then the same stores read every earlier write", async () => {
    const expiresAt = Date.now() + 10 * 60_000;
    for (const store of stores.values()) {
      for (const key of KEYS) {
        const written = await store.set(key, { value: `v-${key}`, expiresAt, userId: "u1" });
        expect(written.ok).toBe(true);
      }
    }
    const [victim] = await cluster.masters();
    const onVictim = KEYS.filter((key) =>
      victim!.slots.some(([a, b]) => slotOfKey(key) >= a && slotOfKey(key) <= b),
    );
    expect(onVictim.length).toBeGreaterThan(0);

    cluster.kill(victim!.port);
    // All at once, so every call falls inside the failover window (cluster-node-timeout 2 s).
    const key = onVictim[0]!;
    await Promise.all(
      [...stores].flatMap(([kind, store]) => [
        // A session that exists must not read as missing while its master is gone.
        expectUnavailable(`${kind} get`, store.get(key), OUTAGE),
        expectUnavailable(
          `${kind} set`,
          store.set(key, { value: "during", expiresAt }, { expectVersion: 1 }),
          OUTAGE,
        ),
        expectUnavailable(`${kind} touch`, store.touch(key, expiresAt + 1000), OUTAGE),
        expectUnavailable(`${kind} delete`, store.delete(key), OUTAGE),
        expectUnavailable(`${kind} listByUser`, store.listByUser("u1"), OUTAGE),
      ]),
    );

    await cluster.waitForFailover(victim!);
    // The promoted master has no replica until the dead node rejoins: durable writes wait for it.
    await cluster.restart(victim!.port);
    for (const [kind, store] of stores) {
      await untilWorking(store, key);
      for (const k of KEYS) {
        const entry = await store.get(k);
        expect(entry?.value, `${kind} ${k}`).toBe(k === key ? "probe" : `v-${k}`);
      }
      const listed = await store.listByUser("u1");
      expect(listed.length, kind).toBe(KEYS.length - 1);
      expect(await store.deleteByUser("u1")).toBe(KEYS.length - 1);
    }
    expect(unhandled).toEqual([]);
  }, 90_000);
});

describe("a stalled Cluster master (CLIENT PAUSE WRITE)", () => {
  it("times out a write within commandTimeout, then works again", async () => {
    const store = stores.get("node-redis")!;
    const key = KEYS[0]!;
    await untilWorking(store, key);
    const master = await cluster.masterOf(slotOfKey(key));
    await cluster.cli(master.port, "CLIENT", "PAUSE", "2500", "WRITE");
    try {
      await expectUnavailable(
        "set on a paused master",
        store.set(key, { value: "late", expiresAt: Date.now() + 60_000 }),
        OUTAGE,
      );
    } finally {
      await cluster.cli(master.port, "CLIENT", "UNPAUSE");
    }
    await untilWorking(store, key);
    expect(unhandled).toEqual([]);
  }, 30_000);
});
