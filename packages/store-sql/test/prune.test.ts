import { randomKey } from "@tessera/store/conformance";
import { expect, it } from "vitest";
import { type SqlExecutor, SqlStore } from "../src/index.js";
import { describeEachTarget, recording, uniqueTable } from "./helpers.js";

const EXPIRED = 5000;
const LIVE = 40;
const BATCH = 1000;
const table = uniqueTable("prune");

// Many rows in few statements: a multi-row INSERT, 500 rows at a time.
async function seedExpired(executor: SqlExecutor, count: number): Promise<void> {
  const past = Date.now() - 60_000;
  const q = (i: number) => (executor.dialect === "postgres" ? `$${i}` : "?");
  const quoted = executor.dialect === "mysql" ? `\`${table}\`` : `"${table}"`;
  const cols =
    executor.dialect === "mysql"
      ? "(`key`, `value`, `expires_at`, `version`)"
      : '("key", "value", "expires_at", "version")';
  for (let done = 0; done < count; done += 500) {
    const n = Math.min(500, count - done);
    const tuples: string[] = [];
    const params: Array<string | number> = [];
    for (let i = 0; i < n; i++) {
      tuples.push(`(${q(params.length + 1)}, ${q(params.length + 2)}, ${q(params.length + 3)}, 1)`);
      params.push(randomKey(), "expired", past - i);
    }
    await executor.query(`INSERT INTO ${quoted} ${cols} VALUES ${tuples.join(", ")}`, params);
  }
}

describeEachTarget([table], (targetOf) => {
  it(`prunes ${EXPIRED} expired rows in batches of at most ${BATCH} and keeps the ${LIVE} live ones`, async () => {
    const target = targetOf();
    const base = new SqlStore(target.executor, { table });
    // A previous describe block shares the table: start from the live rows of this block only.
    await base.prune();
    await seedExpired(target.executor, EXPIRED);
    const live = Array.from({ length: LIVE }, () => randomKey());
    const expiresAt = Date.now() + 60_000;
    for (const key of live)
      await base.set(key, { value: "live", expiresAt, userId: "pruned-user" });

    const spy = recording(target.executor);
    const store = new SqlStore(spy, { table, pruneBatchSize: BATCH });
    expect(await store.prune()).toBe(EXPIRED);
    const affected = spy.log.map((entry) => entry.result?.affected ?? -1);
    expect(affected.every((n) => n >= 0 && n <= BATCH)).toBe(true);
    expect(affected.reduce((a, b) => a + b, 0)).toBe(EXPIRED);
    // 5 full batches, then one short batch that ends the loop.
    expect(spy.log.length).toBe(EXPIRED / BATCH + 1);
    for (const { sql } of spy.log) expect(sql).toContain(`LIMIT ${BATCH}`);

    for (const key of live) expect((await store.get(key))?.value).toBe("live");
    expect(await store.prune()).toBe(0);
    expect(await store.deleteByUser("pruned-user")).toBe(LIVE);
  }, 60_000);
});
