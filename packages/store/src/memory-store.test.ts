import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.js";

const K = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const stores: MemoryStore[] = [];
function make(options: ConstructorParameters<typeof MemoryStore>[0] = {}): MemoryStore {
  const store = new MemoryStore({ sweepIntervalMs: 0, ...options });
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
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
});
