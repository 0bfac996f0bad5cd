import { StoreUnavailableError } from "@tessera/store";
import { describe, expect, it, vi } from "vitest";
import type { MemcachedClient } from "../src/client.js";
import { MemcachedStore } from "../src/memcached-store.js";

const KEY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const later = () => Date.now() + 60_000;

/** A client whose every method is a spy that must not be called. */
function untouchable() {
  const fail = () => Promise.reject(new Error("no network call expected"));
  const client = {
    gets: vi.fn(fail),
    add: vi.fn(fail),
    cas: vi.fn(fail),
    delete: vi.fn(fail),
  } satisfies MemcachedClient;
  const calls = () =>
    client.gets.mock.calls.length +
    client.add.mock.calls.length +
    client.cas.mock.calls.length +
    client.delete.mock.calls.length;
  return { client, calls };
}

describe("MemcachedStore options", () => {
  const { client } = untouchable();
  it.each([
    ["a space", "my app:"],
    ["CRLF", "app\r\nflush_all "],
    ["a NUL", "app\u0000"],
    ["a tab", "app\t"],
    ["non-ASCII", "sessión:"],
    ["101 characters", "p".repeat(101)],
    ["a number", 42],
  ])("rejects a prefix with %s (ERR_STORE_INVALID_OPTION)", (_label, prefix) => {
    expect(() => new MemcachedStore({ client, prefix: prefix as string })).toThrow(
      expect.objectContaining({
        code: "ERR_STORE_INVALID_OPTION",
        message: expect.stringContaining("option prefix"),
      }),
    );
  });

  it.each([
    ["maxItemBytes", { maxItemBytes: 100 }],
    ["maxItemBytes", { maxItemBytes: 1.5e6 + 0.5 }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
  ])("rejects a bad %s", (name, options) => {
    expect(() => new MemcachedStore({ client, ...options })).toThrow(
      expect.objectContaining({
        code: "ERR_STORE_INVALID_OPTION",
        message: expect.stringContaining(name),
      }),
    );
  });

  it("rejects a missing client", () => {
    expect(() => new MemcachedStore({ client: {} as MemcachedClient })).toThrow(
      expect.objectContaining({ code: "ERR_STORE_INVALID_OPTION" }),
    );
  });
});

describe("MemcachedStore input checks happen before the network", () => {
  // Protocol injection (a raw \r\n) and over-long keys never reach the client.
  it.each([
    ["CRLF injection", "x\r\nflush_all"],
    ["space", "a b"],
    ["glob", "*"],
    ["percent", "%"],
    ["quote", "'"],
    ["251 bytes", "a".repeat(251)],
  ])("rejects key %s with ERR_STORE_INVALID_KEY and sends nothing", async (_label, key) => {
    const { client, calls } = untouchable();
    const store = new MemcachedStore({ client });
    const code = { code: "ERR_STORE_INVALID_KEY" };
    await expect(store.get(key)).rejects.toMatchObject(code);
    await expect(store.set(key, { value: "v", expiresAt: later() })).rejects.toMatchObject(code);
    await expect(store.touch(key, later())).rejects.toMatchObject(code);
    await expect(store.delete(key)).rejects.toMatchObject(code);
    expect(calls()).toBe(0);
  });

  it("rejects a value over maxItemBytes with ERR_STORE_VALUE_TOO_LARGE and sends nothing", async () => {
    const { client, calls } = untouchable();
    const store = new MemcachedStore({ client, maxItemBytes: 4096 });
    await expect(
      store.set(KEY, { value: "x".repeat(4096), expiresAt: later() }),
    ).rejects.toMatchObject({ code: "ERR_STORE_VALUE_TOO_LARGE" });
    // Multi-byte characters count as their UTF-8 bytes, not as UTF-16 units.
    await expect(
      store.set(KEY, { value: "🍪".repeat(1000), expiresAt: later(), userId: "u" }),
    ).rejects.toMatchObject({ code: "ERR_STORE_VALUE_TOO_LARGE" });
    expect(calls()).toBe(0);
  });

  it("rejects after close with StoreClosedError and sends nothing", async () => {
    const { client, calls } = untouchable();
    const store = new MemcachedStore({ client });
    await store.close();
    await expect(store.get(KEY)).rejects.toMatchObject({ code: "ERR_STORE_CLOSED" });
    expect(calls()).toBe(0);
  });
});

describe("MemcachedStore failures", () => {
  it("wraps a client error in StoreUnavailableError with the cause", async () => {
    const cause = new Error("connect ECONNREFUSED 127.0.0.1:11211");
    const client: MemcachedClient = {
      gets: () => Promise.reject(cause),
      add: () => Promise.reject(cause),
      cas: () => Promise.reject(cause),
      delete: () => Promise.reject(cause),
    };
    const store = new MemcachedStore({ client });
    const error = await store.get(KEY).catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toBe(cause);
  });

  it("gives up on a call that never answers after timeoutMs", async () => {
    vi.useFakeTimers();
    try {
      const hang = () => new Promise<never>(() => undefined);
      const client: MemcachedClient = { gets: hang, add: hang, cas: hang, delete: hang };
      const store = new MemcachedStore({ client, timeoutMs: 250 });
      const pending = store.get(KEY).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(250);
      const error = await pending;
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain("250 ms");
    } finally {
      vi.useRealTimers();
    }
  });
});
