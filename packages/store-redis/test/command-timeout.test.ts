import { StoreUnavailableError } from "@tessera/store";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RedisExecutor } from "../src/executor.js";
import { CommandTimeoutError } from "../src/lib/call.js";
import { RedisStore } from "../src/redis-store.js";

// The store's commandTimeout: one timer per store call (an EVALSHA and its
// EVAL fallback share it), driven here by fake timers.

interface Call {
  args: readonly string[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A client whose replies the test hands out by hand. */
function manual() {
  const calls: Call[] = [];
  const client: RedisExecutor = {
    send: (_key, args) =>
      new Promise((resolve, reject) => {
        calls.push({ args, resolve, reject });
      }),
    isReplyError: () => false,
  };
  return { client, calls };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;

/** Records how a promise settles without ever leaving it unhandled. */
function watch(promise: Promise<unknown>): { readonly outcome: Outcome } {
  const box: { outcome: Outcome } = { outcome: undefined };
  promise.then(
    (value) => {
      box.outcome = { ok: true, value };
    },
    (error: unknown) => {
      box.outcome = { ok: false, error };
    },
  );
  return box;
}

let unhandled: unknown[];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  vi.useFakeTimers();
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});

afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  vi.useRealTimers();
});

describe("RedisStore commandTimeout", () => {
  it("rejects with StoreUnavailableError within commandTimeout when Redis never answers", async () => {
    const { client } = manual();
    const store = new RedisStore({ client, commandTimeout: 250 });
    const result = watch(store.get("k"));
    await vi.advanceTimersByTimeAsync(249);
    expect(result.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    const error = (result.outcome as { error: unknown } | undefined)?.error;
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(CommandTimeoutError);
    expect(((error as Error).cause as Error).message).toBe(
      "redis HMGET did not answer within 250 ms",
    );
  });

  it("swallows a reply or a rejection that arrives after the timeout", async () => {
    const { client, calls } = manual();
    const store = new RedisStore({ client, commandTimeout: 10 });
    const late = watch(store.get("k"));
    const lateError = watch(store.get("k"));
    await vi.advanceTimersByTimeAsync(10);
    calls[0]!.resolve([null, null, null, null]);
    calls[1]!.reject(new Error("too late"));
    await vi.advanceTimersByTimeAsync(100);
    for (const result of [late, lateError]) {
      const error = (result.outcome as { error: unknown } | undefined)?.error;
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(CommandTimeoutError);
    }
    // Give process-level unhandled-rejection tracking a real turn of the event loop.
    vi.useRealTimers();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });

  it("turns a synchronous throw from the client into StoreUnavailableError and keeps no timer", async () => {
    const client: RedisExecutor = {
      send: () => {
        throw new Error("socket gone");
      },
      isReplyError: () => false,
    };
    const store = new RedisStore({ client });
    const result = watch(store.get("k"));
    await vi.advanceTimersByTimeAsync(0);
    const error = (result.outcome as { error: unknown } | undefined)?.error;
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe("redis HMGET failed: socket gone");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("bounds every command in flight on its own: answers resolve, the silent ones time out", async () => {
    const { client, calls } = manual();
    const store = new RedisStore({ client, commandTimeout: 500 });
    const results: { readonly outcome: Outcome }[] = [];
    for (let i = 0; i < 100; i++) {
      results.push(watch(store.get(`k${i}`)));
      if (i % 10 === 9) await vi.advanceTimersByTimeAsync(1);
    }
    // Answer every even command, in reverse order.
    for (let i = 98; i >= 0; i -= 2) calls[i]!.resolve([`v${i}`, "9999999999999", null, "1"]);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(600);
    for (let i = 0; i < 100; i++) {
      if (i % 2 === 0) {
        expect(results[i]!.outcome).toMatchObject({ ok: true, value: { value: `v${i}` } });
      } else {
        const error = (results[i]!.outcome as { error: unknown } | undefined)?.error;
        expect(StoreUnavailableError.isInstance(error)).toBe(true);
      }
    }
    // Every timer was cleared or fired: nothing is left armed.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives the EVAL fallback only what is left of the EVALSHA's commandTimeout", async () => {
    const { client, calls } = manual();
    const store = new RedisStore({ client, commandTimeout: 1000 });
    const result = watch(store.set("k", { value: "v", expiresAt: Date.now() + 60_000 }));
    await vi.advanceTimersByTimeAsync(700);
    const noscript = Object.assign(new Error("NOSCRIPT No matching script."), { reply: true });
    client.isReplyError = (error) => (error as { reply?: boolean }).reply === true;
    calls[0]!.reject(noscript);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.args[0])).toEqual(["EVALSHA", "EVAL"]);
    await vi.advanceTimersByTimeAsync(299);
    expect(result.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    const error = (result.outcome as { error: unknown } | undefined)?.error;
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("EVAL");
  });

  it("sends no EVAL when the EVALSHA's NOSCRIPT arrives after the timeout", async () => {
    const { client, calls } = manual();
    client.isReplyError = (error) => (error as { reply?: boolean }).reply === true;
    const store = new RedisStore({ client, commandTimeout: 100 });
    const result = watch(store.set("k", { value: "v", expiresAt: Date.now() + 60_000 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(StoreUnavailableError.isInstance((result.outcome as { error: unknown }).error)).toBe(
      true,
    );
    calls[0]!.reject(Object.assign(new Error("NOSCRIPT No matching script."), { reply: true }));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.args[0])).toEqual(["EVALSHA"]);
  });

  it("close() leaves no timer behind", async () => {
    const { client, calls } = manual();
    const store = new RedisStore({ client });
    const result = watch(store.get("k"));
    calls[0]!.resolve([null, null, null, null]);
    await vi.advanceTimersByTimeAsync(0);
    expect(result.outcome).toEqual({ ok: true, value: null });
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the timeout timer on a real clock", () => {
  it("is unref'd, so it never keeps a process alive", async () => {
    vi.useRealTimers();
    const created: { hasRef(): boolean }[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((
      ...args: Parameters<typeof setTimeout>
    ) => {
      const timer = real(...args);
      created.push(timer as unknown as { hasRef(): boolean });
      return timer;
    }) as typeof setTimeout);
    try {
      const { client } = manual();
      const store = new RedisStore({ client, commandTimeout: 20 });
      const result = watch(store.get("k"));
      expect(created).toHaveLength(1);
      expect(created[0]!.hasRef()).toBe(false);
      spy.mockRestore();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const error = (result.outcome as { error: unknown } | undefined)?.error;
      expect((error as Error).cause).toBeInstanceOf(CommandTimeoutError);
    } finally {
      spy.mockRestore();
    }
  });
});
