import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StoreError } from "../src/errors.js";
import { ExpiryHeap } from "../src/lib/expiry-heap.js";
import { MemoryStore, type MemoryStoreOptions } from "../src/memory-store.js";

const K = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const stores: MemoryStore[] = [];
function make(options: MemoryStoreOptions = {}): MemoryStore {
  const store = new MemoryStore({ sweepIntervalMs: 0, ...options });
  stores.push(store);
  return store;
}
function heapSize(store: MemoryStore): number {
  return (store as unknown as { heap: ExpiryHeap }).heap.size;
}
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.close();
});

describe("MemoryStore options", () => {
  it.each<[keyof MemoryStoreOptions, unknown]>([
    ["maxEntries", 0],
    ["maxEntries", -1],
    ["maxEntries", 1.5],
    ["maxEntries", Number.NaN],
    ["maxValueBytes", 0],
    ["maxValueBytes", Number.POSITIVE_INFINITY],
    ["sweepIntervalMs", -1],
    ["sweepIntervalMs", Number.POSITIVE_INFINITY],
    ["sweepIntervalMs", 2 ** 31],
    ["now", 42],
  ])("option %s = %s throws ERR_STORE_INVALID_OPTION naming it", (name, value) => {
    const attempt = () => new MemoryStore({ [name]: value } as MemoryStoreOptions);
    expect(attempt).toThrow(StoreError);
    expect(attempt).toThrow(`option ${name} is invalid`);
    try {
      attempt();
    } catch (error) {
      expect((error as StoreError).code).toBe("ERR_STORE_INVALID_OPTION");
    }
  });

  it("rejects a value above maxValueBytes with ERR_STORE_VALUE_TOO_LARGE, counting UTF-8 bytes", async () => {
    const store = make({ maxValueBytes: 8 });
    await expect(store.set(K, { value: "12345678", expiresAt: Date.now() + 1e6 })).resolves.toEqual(
      {
        ok: true,
        version: 1,
      },
    );
    // "é" is 2 UTF-8 bytes: 5 of them are 10 bytes, over the 8-byte limit.
    await expect(
      store.set(K, { value: "ééééé", expiresAt: Date.now() + 1e6 }),
    ).rejects.toMatchObject({
      code: "ERR_STORE_VALUE_TOO_LARGE",
    });
    expect((await store.get(K))?.value).toBe("12345678");
  });
});

describe("MemoryStore with an injected clock", () => {
  it("never returns an entry at or after expiresAt", async () => {
    let now = 1_000;
    const store = make({ now: () => now });
    await store.set(K, { value: "v", expiresAt: 2_000 });
    now = 1_999;
    expect(await store.get(K)).toEqual({ value: "v", expiresAt: 2_000, version: 1 });
    now = 2_000;
    expect(await store.get(K)).toBeNull();
    expect(store.size).toBe(0);
  });

  it("frees only what expired, in expiry order, on sweep", async () => {
    let now = 0;
    const store = make({ now: () => now });
    for (let i = 0; i < 100; i++) {
      await store.set(`k${i}`, { value: "v", expiresAt: 1000 + i * 10 });
    }
    now = 1000 + 49 * 10;
    expect(store.sweep()).toBe(50);
    expect(await store.get("k49")).toBeNull();
    expect(await store.get("k50")).not.toBeNull();
    now = 1_000_000;
    expect(store.sweep()).toBe(50);
  });

  it("a touched-then-shortened entry still expires at its new, earlier time", async () => {
    let now = 0;
    const store = make({ now: () => now });
    await store.set(K, { value: "v", expiresAt: 1000, userId: "u" });
    await store.touch(K, 5000);
    await store.touch(K, 2000);
    now = 2000;
    expect(store.sweep()).toBe(1);
    expect(await store.listByUser("u")).toEqual([]);
  });
});

describe("MemoryStore bounds: LRU over maxEntries, sweep of expired entries", () => {
  it("maxEntries 10,000: inserting 20,000 keeps at most 10,000, evicting the least recently used", async () => {
    let now = 0;
    const store = make({ maxEntries: 10_000, now: () => now });
    for (let i = 0; i < 20_000; i++) {
      await store.set(`k${i}`, { value: "v", expiresAt: 1000, userId: `u${i % 7}` });
      // Reading k0 keeps it the most recently used, so it is never evicted.
      if (i % 1000 === 0) await store.get("k0");
    }
    expect(store.size).toBe(10_000);
    expect(await store.get("k0")).not.toBeNull();
    expect(await store.get("k1")).toBeNull();
    expect(await store.get("k19999")).not.toBeNull();
    // The user index forgets evicted entries.
    const listed = (
      await Promise.all([0, 1, 2, 3, 4, 5, 6].map((u) => store.listByUser(`u${u}`)))
    ).flat();
    expect(listed).toHaveLength(10_000);
    // ttl 1 s, after 2 s and one sweep: nothing left.
    now = 2000;
    store.sweep();
    expect(store.size).toBe(0);
    expect(heapSize(store)).toBe(0);
  });

  it("touch and set also count as use for LRU", async () => {
    const store = make({ maxEntries: 2 });
    const later = Date.now() + 60_000;
    await store.set("a", { value: "a", expiresAt: later });
    await store.set("b", { value: "b", expiresAt: later });
    await store.touch("a", later + 1);
    await store.set("c", { value: "c", expiresAt: later });
    expect(await store.get("b")).toBeNull();
    await store.set("a", { value: "a2", expiresAt: later });
    await store.set("d", { value: "d", expiresAt: later });
    expect(await store.get("c")).toBeNull();
    expect((await store.get("a"))?.value).toBe("a2");
  });

  it("keeps the expiry heap O(live entries) when long-lived entries are deleted", async () => {
    const store = make({ maxEntries: Number.POSITIVE_INFINITY });
    const later = Date.now() + 86_400_000;
    for (let i = 0; i < 50_000; i++) {
      await store.set(`k${i}`, { value: "v", expiresAt: later });
      await store.delete(`k${i}`);
    }
    expect(store.size).toBe(0);
    expect(heapSize(store)).toBeLessThanOrEqual(1024 + 1);
  });

  it("keeps the expiry heap bounded when one entry's expiry keeps shrinking", async () => {
    const store = make();
    const base = Date.now() + 86_400_000;
    await store.set(K, { value: "v", expiresAt: base });
    for (let i = 1; i < 10_000; i++) await store.touch(K, base - i);
    expect(heapSize(store)).toBeLessThanOrEqual(2 + 1024 + 1);
  });
});

describe("MemoryStore timers and close", () => {
  it("sweeps on its interval without any store call", async () => {
    vi.useFakeTimers({ now: 0 });
    const store = make({ sweepIntervalMs: 1000 });
    await store.set(K, { value: "v", expiresAt: 500 });
    expect(store.size).toBe(1);
    const sweep = vi.spyOn(store, "sweep");
    vi.advanceTimersByTime(1000);
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(sweep).toHaveReturnedWith(1);
  });

  it("unrefs its timer so an idle Node process can exit, and close() clears it", async () => {
    const store = make({ sweepIntervalMs: 1000 });
    const timer = (store as unknown as { timer: { hasRef(): boolean } }).timer;
    expect(timer.hasRef()).toBe(false);
    const clear = vi.spyOn(globalThis, "clearInterval");
    await store.close();
    expect(clear).toHaveBeenCalledWith(timer);
  });

  it("starts no timer with sweepIntervalMs 0", () => {
    const interval = vi.spyOn(globalThis, "setInterval");
    make({ sweepIntervalMs: 0 });
    expect(interval).not.toHaveBeenCalled();
  });

  it("works where timers have no unref (Deno, browsers)", async () => {
    vi.spyOn(globalThis, "setInterval").mockReturnValue(
      7 as unknown as ReturnType<typeof setInterval>,
    );
    const clear = vi.spyOn(globalThis, "clearInterval").mockImplementation(() => undefined);
    const store = make({ sweepIntervalMs: 1000 });
    await store.close();
    expect(clear).toHaveBeenCalledWith(7);
  });

  it("after close: every method rejects with ERR_STORE_CLOSED, size is 0, close is idempotent", async () => {
    const store = make();
    await store.set(K, { value: "v", expiresAt: Date.now() + 60_000, userId: "u" });
    await store.close();
    await store.close();
    expect(store.size).toBe(0);
    expect(store.sweep()).toBe(0);
    for (const attempt of [
      () => store.get(K),
      () => store.set(K, { value: "v", expiresAt: Date.now() + 1 }),
      () => store.touch(K, Date.now() + 1),
      () => store.delete(K),
      () => store.listByUser("u"),
      () => store.deleteByUser("u"),
    ]) {
      await expect(attempt()).rejects.toMatchObject({
        code: "ERR_STORE_CLOSED",
        name: "StoreClosedError",
      });
    }
  });
});

describe("ExpiryHeap", () => {
  it("pops in ascending time order for any pushes and interleaved pops (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant("pop" as const)), {
          maxLength: 300,
        }),
        (ops) => {
          const heap = new ExpiryHeap();
          const reference: number[] = [];
          for (const op of ops) {
            if (op === "pop") {
              if (reference.length === 0) continue;
              reference.sort((a, b) => a - b);
              expect(heap.peekTime()).toBe(reference.shift());
              heap.pop();
            } else {
              heap.push(op, `k${op}`);
              reference.push(op);
            }
            expect(heap.size).toBe(reference.length);
          }
          reference.sort((a, b) => a - b);
          for (const expected of reference) {
            expect(heap.peekTime()).toBe(expected);
            expect(heap.peekKey()).toBe(`k${expected}`);
            heap.pop();
          }
          expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("rebuild heapifies arbitrary input (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 200 }), (times) => {
        const heap = new ExpiryHeap();
        heap.rebuild([...times], times.map(String));
        const out: number[] = [];
        while (heap.size > 0) {
          out.push(heap.peekTime());
          heap.pop();
        }
        expect(out).toEqual([...times].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});

describe("MemoryStore behind a wrapper", () => {
  // The shared driver base once kept its state in `#` fields, so any method
  // called through a Proxy or an Object.create wrapper threw a TypeError.
  it("works through a Proxy and through an Object.create wrapper, closing included", async () => {
    const expiresAt = Date.now() + 60_000;
    for (const wrap of [
      (store: MemoryStore) => new Proxy(store, {}),
      (store: MemoryStore) => Object.create(store) as MemoryStore,
    ]) {
      const store = wrap(make());
      expect(await store.set(K, { value: "e30", expiresAt })).toEqual({ ok: true, version: 1 });
      expect((await store.get(K))?.value).toBe("e30");
      await store.close();
      await expect(store.get(K)).rejects.toMatchObject({ code: "ERR_STORE_CLOSED" });
    }
  });
});
