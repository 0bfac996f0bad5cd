import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import { shardTags, slotOf } from "../src/lib/slots.js";
import { clusterNodes, connected, rawNodeRedis, suiteClient, uniquePrefix } from "./clients.js";

// What the store leaves in Redis: the documented key layout, an expiry on
// every key (never stored without an expiry), no raw session data outside the prefix, a user index that
// drops stale members, hostile values and user ids stored verbatim, and on
// Cluster a session and its index entry in one slot.
type Raw = Awaited<ReturnType<typeof rawNodeRedis>>;

const client = suiteClient("node-redis", "standalone");
let raw: Raw;

beforeAll(async () => {
  raw = await rawNodeRedis();
});
afterAll(async () => {
  await raw.quit();
});

/** A store under a prefix of its own, so keysUnder(prefix) sees only what it wrote. */
function freshStore(label: string, shards?: number): { prefix: string; store: RedisStore } {
  const prefix = uniquePrefix(label);
  return { prefix, store: new RedisStore({ client: client().executor, prefix, shards }) };
}

async function keysUnder(prefix: string): Promise<string[]> {
  // Test-only inspection; the store itself never scans.
  const found: string[] = [];
  for await (const batch of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    found.push(...(batch as unknown as string[]));
  }
  return found.sort();
}

describe("key layout (standalone)", () => {
  it("stores one hash per session and one sorted set per user and shard, each with an expiry", async () => {
    const { prefix, store } = freshStore("layout", 4);
    const expiresAt = Date.now() + 60_000;
    await store.set("alpha", { value: "a", expiresAt, userId: "u1" });
    await store.set("beta", { value: "b", expiresAt: expiresAt + 5000 });
    const keys = await keysUnder(prefix);
    expect(keys).toHaveLength(3);
    const session = keys.find((k) => k.endsWith("}:alpha"))!;
    expect(session).toMatch(
      new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\{[0-9]+\\.[0-9]+\\}:alpha$`),
    );
    const index = keys.find((k) => k.endsWith(":u:u1"))!;
    expect(index.slice(0, index.indexOf("}") + 1)).toBe(session.slice(0, session.indexOf("}") + 1));
    expect(await raw.sendCommand(["TYPE", session])).toBe("hash");
    expect(await raw.sendCommand(["TYPE", index])).toBe("zset");
    expect(await raw.sendCommand(["HMGET", session, "v", "e", "u", "n"])).toEqual([
      "a",
      String(expiresAt),
      "u1",
      "1",
    ]);
    for (const key of keys) {
      const pttl = Number(await raw.sendCommand(["PTTL", key]));
      expect(pttl, `PTTL of ${key}`).toBeGreaterThan(0);
    }
    expect(Number(await raw.sendCommand(["PEXPIRETIME", session]))).toBe(expiresAt);
    await store.delete("alpha");
    await store.delete("beta");
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it("drops stale index members, so a user's index never grows without bound", async () => {
    const { prefix, store } = freshStore("bounded", 1);
    const soon = Date.now() + 150;
    for (let i = 0; i < 50; i++)
      await store.set(`old${i}`, { value: "x", expiresAt: soon, userId: "u" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await store.set("fresh", { value: "y", expiresAt: Date.now() + 60_000, userId: "u" });
    const [index] = (await keysUnder(prefix)).filter((k) => k.endsWith(":u:u"));
    expect(await raw.sendCommand(["ZRANGE", index!, "0", "-1"])).toEqual(["fresh"]);
    // Owner changes and deletes remove the member at once.
    await store.set("fresh", { value: "y", expiresAt: Date.now() + 60_000, userId: "v" });
    expect(await raw.sendCommand(["EXISTS", index!])).toBe(0);
    await store.delete("fresh");
    expect(await keysUnder(prefix)).toEqual([]);
  });

  // The SET script overwrites the hash in place; dropping the owner must still lose `u`.
  it("an update that drops the owner leaves no owner field and no index member", async () => {
    const { prefix, store } = freshStore("drop-owner", 1);
    const expiresAt = Date.now() + 60_000;
    await store.set("s", { value: "a", expiresAt, userId: "u" });
    await store.set("s", { value: "b", expiresAt: expiresAt + 1 }, { expectVersion: 1 });
    expect(await store.get("s")).toEqual({ value: "b", expiresAt: expiresAt + 1, version: 2 });
    const keys = await keysUnder(prefix);
    expect(keys).toHaveLength(1);
    const fields = (await raw.sendCommand(["HKEYS", keys[0]!])) as string[];
    expect([...fields].sort()).toEqual(["e", "n", "v"]);
    expect(await store.listByUser("u")).toEqual([]);
    await store.delete("s");
  });

  // The index is only rewritten when a session outlives its index score, so the score
  // must never fall below the session's expiry, or pruning would drop a live session.
  it("keeps every index score at or above its session's expiry, whatever the expiry does", async () => {
    const { prefix, store } = freshStore("score", 1);
    const [tag] = shardTags(1);
    const session = `${prefix}{${tag}}:s`;
    const start = Date.now();
    async function check(owner: string, other?: string): Promise<void> {
      const expiresAt = Number(await raw.sendCommand(["HGET", session, "e"]));
      const index = `${prefix}{${tag}}:u:${owner}`;
      const score = Number(await raw.sendCommand(["ZSCORE", index, "s"]));
      expect(score).toBeGreaterThanOrEqual(expiresAt);
      expect(Number(await raw.sendCommand(["PEXPIRETIME", index]))).toBeGreaterThanOrEqual(score);
      expect(Number(await raw.sendCommand(["PEXPIRETIME", session]))).toBe(expiresAt);
      if (other !== undefined) {
        expect(await raw.sendCommand(["ZSCORE", `${prefix}{${tag}}:u:${other}`, "s"])).toBeNull();
      }
    }
    await store.set("s", { value: "0", expiresAt: start + 60_000, userId: "u" });
    let version = 1;
    await check("u");
    const steps: [number, string][] = [
      [start + 60_001, "u"],
      [start + 70_000, "u"],
      [start + 30_000, "u"],
      [start + 900_000, "u"],
      [start + 900_001, "v"],
      [start + 900_002, "u"],
    ];
    let owner = "u";
    for (const [expiresAt, userId] of steps) {
      const result = await store.set(
        "s",
        { value: "x", expiresAt, userId },
        { expectVersion: version },
      );
      expect(result).toEqual({ ok: true, version: ++version });
      await check(userId, userId === owner ? undefined : owner);
      owner = userId;
      await store.touch("s", expiresAt + 1);
      await check(userId);
    }
    await store.touch("s", start + 5_000_000);
    await check("u");
    expect((await store.listByUser("u")).map((row) => row.key)).toEqual(["s"]);
    expect(await store.deleteByUser("u")).toBe(1);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  // Upgrades: a hash and index member written by the previous layout (no index score
  // field, index scored with the exact expiry) stay readable, writable and listable.
  it("reads, rewrites, lists and deletes a session stored in the previous layout", async () => {
    const { prefix, store } = freshStore("upgrade", 1);
    const [tag] = shardTags(1);
    const session = `${prefix}{${tag}}:old`;
    const index = `${prefix}{${tag}}:u:u`;
    const expiresAt = Date.now() + 60_000;
    await raw.sendCommand([
      "HSET",
      session,
      "v",
      "before",
      "e",
      String(expiresAt),
      "u",
      "u",
      "n",
      "7",
    ]);
    await raw.sendCommand(["PEXPIREAT", session, String(expiresAt)]);
    await raw.sendCommand(["ZADD", index, String(expiresAt), "old"]);
    await raw.sendCommand(["PEXPIREAT", index, String(expiresAt)]);
    expect(await store.get("old")).toEqual({ value: "before", expiresAt, userId: "u", version: 7 });
    expect((await store.listByUser("u")).map((row) => row.entry.version)).toEqual([7]);
    // One millisecond later: the previous index score no longer covers it, so it is raised.
    const result = await store.set(
      "old",
      { value: "after", expiresAt: expiresAt + 1, userId: "u" },
      { expectVersion: 7 },
    );
    expect(result).toEqual({ ok: true, version: 8 });
    expect(Number(await raw.sendCommand(["ZSCORE", index, "old"]))).toBeGreaterThan(expiresAt);
    await store.touch("old", expiresAt + 2);
    expect(await store.get("old")).toEqual({
      value: "after",
      expiresAt: expiresAt + 2,
      userId: "u",
      version: 8,
    });
    expect(await store.deleteByUser("u")).toBe(1);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it("evicted key (maxmemory): next read is null and a stale versioned save cannot resurrect it", async () => {
    const { prefix, store } = freshStore("evict");
    const expiresAt = Date.now() + 60_000;
    await store.set("s", { value: "v1", expiresAt, userId: "u" });
    await store.set("s", { value: "v2", expiresAt, userId: "u" }, { expectVersion: 1 });
    // Eviction removes the key exactly as DEL does.
    for (const key of await keysUnder(prefix))
      if (key.endsWith("}:s")) await raw.sendCommand(["DEL", key]);
    expect(await store.get("s")).toBeNull();
    expect(
      await store.set("s", { value: "stale", expiresAt, userId: "u" }, { expectVersion: 2 }),
    ).toEqual({
      ok: false,
      conflict: true,
    });
    expect(await store.get("s")).toBeNull();
    expect(await store.listByUser("u")).toEqual([]);
    await store.delete("s");
  });

  it.each([
    ["CRLF and a Redis command", "x\r\nFLUSHALL\r\n"],
    ["quotes and backslashes", `'"\\'\\"\``],
    ["Lua and glob metacharacters", "]] .. redis.call('FLUSHALL') .. [[ * ? [a]"],
    ["NUL and control bytes", "a\u0000b\u0001\u007f"],
    ["Unicode", "🍪 中文 é \u2028\u2029 \uFEFF"],
    ["64 KiB", "z".repeat(65_536)],
  ])("stores hostile value %s verbatim, under a hostile user id too", async (_label, value) => {
    const { prefix, store } = freshStore("hostile");
    const userId = `{evil}\r\n*?${value.slice(0, 200)}`;
    const expiresAt = Date.now() + 60_000;
    await store.set("k", { value, expiresAt, userId });
    expect(await store.get("k")).toEqual({ value, expiresAt, userId, version: 1 });
    expect((await store.listByUser(userId)).map((s) => s.entry.value)).toEqual([value]);
    expect(await store.deleteByUser(userId)).toBe(1);
    expect(await keysUnder(prefix)).toEqual([]);
  });
});

describe("key layout (Cluster)", () => {
  it("keeps a session and its owner's index in one slot; the 16 shards spread over every master", async () => {
    const nodes = await clusterNodes();
    const cluster = await connected(
      createCluster({
        rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      }),
    );
    try {
      const keyslot = async (key: string) =>
        Number(await cluster.sendCommand(undefined, true, ["CLUSTER", "KEYSLOT", key]));
      const prefix = "tessera:";
      const tags = shardTags(16);
      for (const tag of tags) {
        const session = await keyslot(
          `${prefix}{${tag}}:n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg`,
        );
        expect(await keyslot(`${prefix}{${tag}}:u:{user}\r\n*`)).toBe(session);
        // Our CRC16 agrees with the server's.
        expect(slotOf(tag)).toBe(session);
      }
      const ranges = (await cluster.sendCommand(undefined, true, ["CLUSTER", "SLOTS"])) as Array<
        [number, number, [string, number, ...unknown[]], ...unknown[]]
      >;
      const perMaster = new Map<string, number>();
      for (const tag of tags) {
        const slot = slotOf(tag);
        const owner = ranges.find(([low, high]) => slot >= low && slot <= high)!;
        const id = `${owner[2][0]}:${owner[2][1]}`;
        perMaster.set(id, (perMaster.get(id) ?? 0) + 1);
      }
      expect(perMaster.size).toBe(3);
      for (const count of perMaster.values()) expect(count).toBeGreaterThanOrEqual(5);
    } finally {
      await cluster.quit();
    }
  });
});
