import { MemoryStore, StoreError, supportsUserIndex } from "@tessera/store";
import { deepEqual, equal, ok, rejectsWithCode, type Suite } from "../harness.js";

const KEY = "k".repeat(43);

export function storeTests(suite: Suite): void {
  suite.test("store: MemoryStore versions, compare-and-set, touch, delete", async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: 0 });
    try {
      deepEqual(await store.set(KEY, { value: "a", expiresAt: now + 1000 }, { expectVersion: 0 }), {
        ok: true,
        version: 1,
      });
      deepEqual(
        await store.set(KEY, { value: "b", expiresAt: now + 1000 }, { expectVersion: 0 }),
        { ok: false, conflict: true },
        "create-only on a live key",
      );
      deepEqual(await store.set(KEY, { value: "b", expiresAt: now + 1000 }, { expectVersion: 1 }), {
        ok: true,
        version: 2,
      });
      await store.touch(KEY, now + 5000);
      const entry = await store.get(KEY);
      equal(entry?.version, 2, "touch keeps the version");
      equal(entry?.expiresAt, now + 5000);
      now += 5000;
      equal(await store.get(KEY), null, "expired at expiresAt exactly");
      await store.set(KEY, { value: "c", expiresAt: now + 10 });
      await store.delete(KEY);
      equal(await store.get(KEY), null, "deleted");
    } finally {
      await store.close();
    }
  });

  suite.test("store: user index lists and revokes one user's entries", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    try {
      ok(supportsUserIndex(store), "index");
      const expiresAt = Date.now() + 60_000;
      await store.set("a".repeat(43), { value: "1", expiresAt, userId: "u1" });
      await store.set("b".repeat(43), { value: "2", expiresAt, userId: "u1" });
      await store.set("c".repeat(43), { value: "3", expiresAt, userId: "u2" });
      equal((await store.listByUser("u1")).length, 2);
      equal(await store.deleteByUser("u1", { exceptKey: "a".repeat(43) }), 1);
      equal((await store.listByUser("u1")).length, 1);
      equal((await store.listByUser("u2")).length, 1);
    } finally {
      await store.close();
    }
  });

  suite.test("store: bad input rejects with typed errors; closed store rejects", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    await rejectsWithCode(() => store.get("not a key!"), "ERR_STORE_INVALID_KEY");
    await rejectsWithCode(
      () => store.set(KEY, { value: "x", expiresAt: Number.NaN }),
      "ERR_STORE_INVALID_EXPIRY",
    );
    await store.close();
    let caught: unknown;
    try {
      await store.get(KEY);
    } catch (error) {
      caught = error;
    }
    ok(StoreError.isInstance(caught), "StoreError");
    equal((caught as StoreError).code, "ERR_STORE_CLOSED");
  });

  suite.test("store: MemoryStore with its background sweep closes cleanly", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 10 });
    await store.set(KEY, { value: "x", expiresAt: Date.now() + 5 });
    await store.close();
  });
}
