import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/index.js";
import {
  CLIENT_KINDS,
  rawNodeRedis,
  suiteClient,
  type TestClient,
  uniquePrefix,
} from "./clients.js";

// Counts, with MONITOR on a separate connection, the commands the store's own
// connection sends per operation. MONITOR marks commands a script runs as
// "[0 lua]", so they are not counted as round trips (INFO commandstats would).
type Raw = Awaited<ReturnType<typeof rawNodeRedis>>;

const send = (client: TestClient, args: string[]) =>
  client.executor.send("", args, { timeoutMs: 2000 });

async function addressOf(client: TestClient): Promise<string> {
  const info = String(await send(client, ["CLIENT", "INFO"]));
  const addr = /\baddr=(\S+)/.exec(info)?.[1];
  if (addr === undefined) throw new Error(`no addr in CLIENT INFO: ${info}`);
  return addr;
}

function commandName(line: string): string {
  return /\] "([^"]+)"/.exec(line)?.[1]?.toUpperCase() ?? "?";
}

for (const kind of CLIENT_KINDS) {
  describe(`round trips (${kind}, standalone, MONITOR)`, () => {
    const client = suiteClient(kind, "standalone");
    let monitor: Raw;
    let addr: string;
    const lines: string[] = [];
    let markers = 0;

    // Sends an ECHO marker on the store's connection and waits until MONITOR shows it;
    // returns the index of the line after it. MONITOR output arrives asynchronously,
    // so markers (not timing) delimit each operation's window.
    async function mark(): Promise<number> {
      const marker = `tessera-marker-${kind}-${++markers}`;
      await send(client(), ["ECHO", marker]);
      for (let i = 0; i < 300; i++) {
        const at = lines.findIndex((l) => l.includes(marker));
        if (at >= 0) return at + 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`marker ${marker} never reached MONITOR`);
    }

    // The commands the store's connection sent during `op`, and those its scripts ran.
    async function observe(op: () => Promise<unknown>) {
      const start = await mark();
      await op();
      const end = (await mark()) - 1;
      const window = lines.slice(start, end);
      return {
        sent: window.filter((l) => l.includes(` ${addr}]`)).map(commandName),
        lua: window.filter((l) => l.includes(" lua]")).map(commandName),
      };
    }

    beforeAll(async () => {
      addr = await addressOf(client());
      monitor = await rawNodeRedis();
      await monitor.monitor((line) => {
        lines.push(String(line));
      });
    });
    afterAll(async () => {
      // QUIT is not answered in MONITOR mode: drop the connection.
      monitor?.destroy();
    });

    it("get, touch, a versioned write and delete are one command each; nothing else per request", async () => {
      const store = new RedisStore({ client: client().executor, prefix: uniquePrefix("rt") });
      const key = `k${Date.now()}`;
      const userId = "user-1";
      // Warm up every script: a node that lacks one answers EVALSHA with NOSCRIPT once.
      await store.set(key, { value: "0", expiresAt: Date.now() + 60_000, userId });
      await store.touch(key, Date.now() + 60_000);
      await store.delete("warm-up");

      const get = await observe(() => store.get(key));
      expect(get.sent).toEqual(["HMGET"]);
      expect(get.lua).toEqual([]);

      const write = await observe(() =>
        store.set(
          key,
          { value: "1", expiresAt: Date.now() + 60_000, userId },
          { expectVersion: 1 },
        ),
      );
      expect(write.sent).toEqual(["EVALSHA"]);
      // Inside the script: read, version check, overwrite in place, PEXPIREAT (never SET
      // then EXPIRE from the client); the owner's index already scores past this expiry.
      expect(write.lua).toEqual(["HMGET", "HSET", "PEXPIREAT"]);

      const touch = await observe(() => store.touch(key, Date.now() + 120_000));
      expect(touch.sent).toEqual(["EVALSHA"]);

      const conflict = await observe(() =>
        store.set(key, { value: "x", expiresAt: Date.now() + 60_000 }, { expectVersion: 1 }),
      );
      expect(conflict.sent).toEqual(["EVALSHA"]);
      expect(conflict.lua).toEqual(["HMGET"]);

      const del = await observe(() => store.delete(key));
      expect(del.sent).toEqual(["EVALSHA"]);
    });

    it("a write that changes neither owner nor expiry leaves the owner's index alone", async () => {
      const store = new RedisStore({ client: client().executor, prefix: uniquePrefix("rt-same") });
      const expiresAt = Date.now() + 60_000;
      await store.set("s", { value: "0", expiresAt, userId: "u" });
      const same = await observe(() =>
        store.set("s", { value: "1", expiresAt, userId: "u" }, { expectVersion: 1 }),
      );
      expect(same.lua).toEqual(["HMGET", "HSET", "PEXPIREAT"]);
      expect((await store.listByUser("u")).map((s) => [s.key, s.entry.version])).toEqual([
        ["s", 2],
      ]);
    });

    // Pins the Redis CPU per request of signed-in users: the owner's index was rewritten
    // and pruned (ZADD, ZREMRANGEBYSCORE, ZRANGE, PEXPIREAT) on every expiry change.
    it("a signed-in write or touch whose expiry stays within the index score costs what an anonymous one does", async () => {
      const store = new RedisStore({ client: client().executor, prefix: uniquePrefix("rt-lazy") });
      const start = Date.now();
      await store.set("s", { value: "0", expiresAt: start + 60_000, userId: "u" });
      await store.set("a", { value: "0", expiresAt: start + 60_000 });
      const anonymous = await observe(() =>
        store.set("a", { value: "1", expiresAt: start + 60_001 }, { expectVersion: 1 }),
      );
      const later = await observe(() =>
        store.set(
          "s",
          { value: "1", expiresAt: start + 60_001, userId: "u" },
          { expectVersion: 1 },
        ),
      );
      expect(later.lua).toEqual(["HMGET", "HSET", "PEXPIREAT"]);
      expect(later.lua).toEqual(anonymous.lua);
      const touch = await observe(() => store.touch("s", start + 60_002));
      expect(touch.lua).toEqual(["HMGET", "HSET", "PEXPIREAT"]);
      // Far beyond the index score: the index is raised (and pruned) in the same script.
      const far = await observe(() =>
        store.set(
          "s",
          { value: "2", expiresAt: start + 600_000, userId: "u" },
          { expectVersion: 2 },
        ),
      );
      expect(far.lua).toEqual(expect.arrayContaining(["ZADD", "ZREMRANGEBYSCORE", "PEXPIREAT"]));
      expect((await store.listByUser("u")).map((s) => [s.key, s.entry.version])).toEqual([
        ["s", 3],
      ]);
    });

    it("a node without the script gets EVAL once after NOSCRIPT, then EVALSHA again", async () => {
      const store = new RedisStore({
        client: client().executor,
        prefix: uniquePrefix("rt-noscript"),
      });
      await send(client(), ["SCRIPT", "FLUSH"]);
      const first = await observe(() =>
        store.set("fresh", { value: "v", expiresAt: Date.now() + 60_000 }),
      );
      expect(first.sent).toEqual(["EVALSHA", "EVAL"]);
      const second = await observe(() =>
        store.set("fresh", { value: "v", expiresAt: Date.now() + 60_000 }),
      );
      expect(second.sent).toEqual(["EVALSHA"]);
      await store.delete("fresh");
    });
  });
}
