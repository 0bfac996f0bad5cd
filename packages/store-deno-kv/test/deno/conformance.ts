/**
 * Deno entry of the Deno KV proof. test/deno.test.ts bundles it (esbuild) and
 * runs it as
 *
 *   deno run --unstable-kv --allow-read=<dir> --allow-write=<dir> bundle.mjs <dir>/kv.sqlite3
 *
 * against a real KV database in a file of <dir>: the exported conformance
 * suite (`runConformance`), then checks of what only Deno KV can show. It
 * prints one line, RESULT_MARK followed by JSON, and nothing else on stdout.
 */
import { StoreError, StoreUnavailableError, supportsUserIndex } from "@tessera/store";
import { conformanceChecks, runConformance } from "@tessera/store/conformance";
import { DenoKvStore, type KvKey, type KvLike } from "../../src/index.js";
import { type CheckReport, RESULT_MARK } from "./report.js";

interface DenoKv extends KvLike {
  set(key: KvKey, value: unknown): Promise<unknown>;
  close(): void;
}

declare const Deno: {
  args: string[];
  version: { deno: string; v8: string };
  openKv(path?: string): Promise<DenoKv>;
};

const path = Deno.args[0];
if (path === undefined) throw new Error("usage: bundle.mjs <kv path>");
const kv = await Deno.openKv(path);
let run = 0;
/** A prefix no other check uses: checks that list the KV see only their own keys. */
const freshPrefix = () => ["tessera-test", `run-${Date.now()}`, String(run++)];

function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function keysUnder(prefix: KvKey): Promise<KvKey[]> {
  const keys: KvKey[] = [];
  for await (const entry of kv.list({ prefix })) keys.push(entry.key);
  return keys;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const later = () => Date.now() + 3_600_000;
const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

const extra: Array<{ name: string; run(): Promise<void> }> = [
  {
    name: "a 640,000-byte multi-byte value spans ten KV entries and round-trips",
    async run() {
      const prefix = freshPrefix();
      const big = new DenoKvStore({ kv, prefix, maxValueBytes: 640_000 });
      const value = "🍪".repeat(100_000) + "中".repeat(80_000);
      const r = await big.set(KEY, { value, expiresAt: later(), userId: "u1" });
      ensure(r.ok && r.version === 1, `set: ${JSON.stringify(r)}`);
      ensure((await big.get(KEY))?.value === value, "get on the writing store");
      // A store with a smaller maxValueBytes reads the rest in a second getMany.
      const small = new DenoKvStore({ kv, prefix });
      ensure((await small.get(KEY))?.value === value, "get on a default store");
      await small.touch(KEY, later());
      ensure((await big.get(KEY))?.value === value, "get after a touch by the default store");
      const smaller = await big.set(KEY, { value: "short", expiresAt: later(), userId: "u1" });
      ensure(smaller.ok && smaller.version === 2, `rewrite: ${JSON.stringify(smaller)}`);
      const left = await keysUnder([...prefix, "s"]);
      ensure(left.length === 1, `entries after shrinking the value: ${left.length}, expected 1`);
    },
  },
  {
    name: "a full first piece with the longest non-Latin-1 userId fits KV's 64 KiB entry limit",
    async run() {
      const store = new DenoKvStore({ kv, prefix: freshPrefix() });
      const userId = "中".repeat(255);
      const value = "é".repeat(32_000); // 64,000 UTF-8 bytes: exactly one piece
      const r = await store.set(KEY, { value, expiresAt: later(), userId });
      ensure(r.ok, `set: ${JSON.stringify(r)}`);
      const got = await store.get(KEY);
      ensure(got?.value === value && got.userId === userId, "round trip");
    },
  },
  {
    name: "delete and deleteByUser leave no KV entry behind (head, pieces, index)",
    async run() {
      const prefix = freshPrefix();
      const store = new DenoKvStore({ kv, prefix });
      await store.set(KEY, { value: "x".repeat(65_536), expiresAt: later(), userId: "u1" });
      await store.set("other", { value: "x".repeat(65_536), expiresAt: later(), userId: "u1" });
      ensure((await keysUnder(prefix)).length === 6, "six entries: 2 heads, 2 pieces, 2 index");
      await store.delete(KEY);
      ensure((await keysUnder(prefix)).length === 3, "three entries after delete");
      ensure((await store.deleteByUser("u1")) === 1, "deleteByUser count");
      const left = await keysUnder(prefix);
      ensure(left.length === 0, `left behind: ${JSON.stringify(left)}`);
    },
  },
  {
    name: "user ids that are prefixes of each other, or KV-encode alike, stay apart",
    async run() {
      const store = new DenoKvStore({ kv, prefix: freshPrefix() });
      ensure(supportsUserIndex(store), "user index");
      await store.set("k1", { value: "a", expiresAt: later(), userId: "u1" });
      await store.set("k10", { value: "b", expiresAt: later(), userId: "u10" });
      const u1 = await store.listByUser("u1");
      ensure(u1.length === 1 && u1[0]?.key === "k1", `listByUser(u1): ${JSON.stringify(u1)}`);
      // KV writes key strings as UTF-8, where a lone surrogate becomes U+FFFD and
      // would share an index key with it: the store refuses such a user id.
      const refused = await store
        .set("k2", { value: "c", expiresAt: later(), userId: "\ud800" })
        .then(
          () => false,
          (error: unknown) => (error as { code?: unknown }).code === "ERR_STORE_INVALID_USER_ID",
        );
      ensure(refused, "a lone-surrogate user id is refused with ERR_STORE_INVALID_USER_ID");
      await store.set("k2", { value: "d", expiresAt: later(), userId: "\ufffd" });
      const now = await store.listByUser("\ufffd");
      ensure(now.length === 1 && now[0]?.entry.value === "d", "new owner still lists k2");
      ensure((await store.deleteByUser("\ufffd")) === 1, "new owner deletes k2");
    },
  },
  {
    name: "a load then a versioned write cost one getMany and one commit (no second read)",
    async run() {
      const calls: string[] = [];
      const counted =
        <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
        (...args: A): R => {
          calls.push(name);
          return call(...args);
        };
      const counting: KvLike = {
        get: counted("get", (key) => kv.get(key)),
        getMany: counted("getMany", (keys) => kv.getMany(keys)),
        list: counted("list", (selector) => kv.list(selector)),
        atomic: counted("atomic", () => kv.atomic()),
      };
      const store = new DenoKvStore({ kv: counting, prefix: freshPrefix() });
      await store.set(KEY, { value: "v1", expiresAt: later(), userId: "u1" });
      calls.length = 0;
      const loaded = await store.get(KEY);
      const r = await store.set(
        KEY,
        { value: "v2", expiresAt: later(), userId: "u1" },
        {
          expectVersion: loaded?.version,
        },
      );
      ensure(r.ok && r.version === 2, `set: ${JSON.stringify(r)}`);
      ensure(calls.join() === "getMany,atomic", `KV calls: ${calls.join()}`);
    },
  },
  {
    name: "an expiresAt past KV's largest expireIn is kept (Number.MAX_SAFE_INTEGER)",
    async run() {
      const store = new DenoKvStore({ kv, prefix: freshPrefix() });
      const far = Number.MAX_SAFE_INTEGER;
      const r = await store.set(KEY, { value: "v", expiresAt: far, userId: "u1" });
      ensure(r.ok && r.version === 1, `set: ${JSON.stringify(r)}`);
      await store.touch(KEY, far - 1);
      const got = await store.get(KEY);
      ensure(got?.expiresAt === far - 1, `get: ${JSON.stringify(got)}`);
    },
  },
  {
    name: "a value under a session key that the store did not write rejects with ERR_STORE_BACKEND",
    async run() {
      const prefix = freshPrefix();
      const store = new DenoKvStore({ kv, prefix });
      await kv.set([...prefix, "s", KEY], "not a session");
      const error = await store.get(KEY).then(
        () => undefined,
        (e: unknown) => e,
      );
      ensure(
        StoreError.isInstance(error) && error.code === "ERR_STORE_BACKEND",
        `get: ${describe(error)}`,
      );
      await store.delete(KEY);
      ensure((await keysUnder(prefix)).length === 0, "delete removes the foreign value");
    },
  },
  {
    name: "a closed Deno.Kv surfaces as StoreUnavailableError with KV's error as cause",
    async run() {
      const closed = await Deno.openKv(":memory:");
      closed.close();
      const store = new DenoKvStore({ kv: closed });
      for (const [what, call] of [
        ["get", () => store.get(KEY)],
        ["set", () => store.set(KEY, { value: "v", expiresAt: later() })],
        ["listByUser", () => store.listByUser("u1")],
      ] as const) {
        const error = await (call as () => Promise<unknown>)().then(
          () => undefined,
          (e: unknown) => e,
        );
        ensure(
          StoreUnavailableError.isInstance(error) && error.cause !== undefined,
          `${what}: ${describe(error)}`,
        );
      }
    },
  },
];

const report: CheckReport[] = [];
const results = await runConformance(() => new DenoKvStore({ kv, prefix: freshPrefix() }));
for (const r of results) {
  report.push(
    r.ok ? { name: r.name, ok: true } : { name: r.name, ok: false, error: describe(r.error) },
  );
}
for (const check of extra) {
  const name = `deno-kv: ${check.name}`;
  try {
    await check.run();
    report.push({ name, ok: true });
  } catch (error) {
    report.push({ name, ok: false, error: describe(error) });
  }
}
kv.close();
console.log(
  RESULT_MARK +
    JSON.stringify({
      deno: Deno.version.deno,
      conformanceChecks: conformanceChecks.length,
      conformanceResults: results.length,
      results: report,
    }),
);
