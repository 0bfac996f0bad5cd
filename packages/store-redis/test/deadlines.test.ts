import { StoreUnavailableError } from "@tessera/store";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RedisExecutor } from "../src/executor.js";
import { CommandTimeoutError, Deadlines } from "../src/lib/deadlines.js";
import { RedisStore } from "../src/redis-store.js";

// The store's shared timeout list: one timer for every command in flight,
// driven here by fake timers and the faked Date.now as its clock.

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

const clock = () => Date.now();

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

describe("Deadlines", () => {
  it("rejects a command that never answers at its deadline, not before", async () => {
    const deadlines = new Deadlines(clock);
    const { client } = manual();
    const result = watch(deadlines.send(client, "k", ["GET", "k"], clock() + 1000, 1000));
    await vi.advanceTimersByTimeAsync(999);
    expect(result.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result.outcome?.ok).toBe(false);
    const error = (result.outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(CommandTimeoutError);
    expect((error as Error).message).toBe("redis GET did not answer within 1000 ms");
    expect(deadlines.size).toBe(0);
  });

  it("swallows a reply or a rejection that arrives after the deadline", async () => {
    const deadlines = new Deadlines(clock);
    const { client, calls } = manual();
    const late = watch(deadlines.send(client, "k", ["GET", "k"], clock() + 10, 10));
    const lateError = watch(deadlines.send(client, "k", ["GET", "k"], clock() + 10, 10));
    await vi.advanceTimersByTimeAsync(10);
    calls[0]!.resolve("too late");
    calls[1]!.reject(new Error("too late"));
    await vi.advanceTimersByTimeAsync(100);
    expect(late.outcome).toMatchObject({ ok: false, error: expect.any(CommandTimeoutError) });
    expect(lateError.outcome).toMatchObject({ ok: false, error: expect.any(CommandTimeoutError) });
    // Give process-level unhandled-rejection tracking a real turn of the event loop.
    vi.useRealTimers();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });

  it("turns a synchronous throw from the client into a rejection and keeps nothing in flight", async () => {
    const deadlines = new Deadlines(clock);
    const client: RedisExecutor = {
      send: () => {
        throw new Error("socket gone");
      },
      isReplyError: () => false,
    };
    const result = watch(deadlines.send(client, "k", ["GET", "k"], clock() + 10, 10));
    await vi.advanceTimersByTimeAsync(0);
    expect(result.outcome).toMatchObject({ ok: false, error: { message: "socket gone" } });
    expect(deadlines.size).toBe(0);
    expect(deadlines.armed).toBe(false);
  });

  it("serves many concurrent commands with one timer: answers resolve, the silent ones time out", async () => {
    const deadlines = new Deadlines(clock);
    const { client, calls } = manual();
    const results: { readonly outcome: Outcome }[] = [];
    for (let i = 0; i < 1000; i++) {
      results.push(watch(deadlines.send(client, "k", ["GET", String(i)], clock() + 500, 500)));
      if (i % 100 === 99) await vi.advanceTimersByTimeAsync(1);
    }
    expect(deadlines.size).toBe(1000);
    expect(vi.getTimerCount()).toBe(1);
    // Answer every even command, in reverse order (out of insertion order unlinks from the middle).
    for (let i = 998; i >= 0; i -= 2) calls[i]!.resolve(`r${i}`);
    await vi.advanceTimersByTimeAsync(0);
    expect(deadlines.size).toBe(500);
    await vi.advanceTimersByTimeAsync(600);
    for (let i = 0; i < 1000; i++) {
      if (i % 2 === 0) expect(results[i]!.outcome).toEqual({ ok: true, value: `r${i}` });
      else
        expect(results[i]!.outcome).toMatchObject({
          ok: false,
          error: expect.any(CommandTimeoutError),
        });
    }
    expect(deadlines.size).toBe(0);
    // Once the last deadline passed, nothing is armed.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("re-arms for the next head after the first deadline fires", async () => {
    const deadlines = new Deadlines(clock);
    const { client } = manual();
    const first = watch(deadlines.send(client, "k", ["GET", "a"], clock() + 100, 100));
    await vi.advanceTimersByTimeAsync(60);
    const second = watch(deadlines.send(client, "k", ["GET", "b"], clock() + 100, 100));
    await vi.advanceTimersByTimeAsync(40);
    expect(first.outcome?.ok).toBe(false);
    expect(second.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(59);
    expect(second.outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(second.outcome?.ok).toBe(false);
  });

  it("honours a deadline earlier than the tail's (the EVAL fallback keeps its EVALSHA's)", async () => {
    const deadlines = new Deadlines(clock);
    const { client } = manual();
    const later = watch(deadlines.send(client, "k", ["GET", "a"], clock() + 1000, 1000));
    const middle = watch(deadlines.send(client, "k", ["GET", "b"], clock() + 1000, 1000));
    const earlier = watch(deadlines.send(client, "k", ["EVAL", "c"], clock() + 300, 1000));
    await vi.advanceTimersByTimeAsync(300);
    expect(earlier.outcome?.ok).toBe(false);
    expect(later.outcome).toBeUndefined();
    expect(middle.outcome).toBeUndefined();
    expect(deadlines.size).toBe(2);
    await vi.advanceTimersByTimeAsync(700);
    expect(later.outcome?.ok).toBe(false);
    expect(middle.outcome?.ok).toBe(false);
  });

  it("close() clears the timer at once when nothing is in flight", async () => {
    const deadlines = new Deadlines(clock);
    const { client, calls } = manual();
    const result = watch(deadlines.send(client, "k", ["GET", "k"], clock() + 1000, 1000));
    calls[0]!.resolve("v");
    await vi.advanceTimersByTimeAsync(0);
    expect(result.outcome).toEqual({ ok: true, value: "v" });
    // The timer is not moved on every reply: it is still armed for the settled command.
    expect(deadlines.armed).toBe(true);
    deadlines.close();
    expect(deadlines.armed).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("close() keeps bounding commands in flight, then clears the timer when the last settles", async () => {
    const deadlines = new Deadlines(clock);
    const { client, calls } = manual();
    const silent = watch(deadlines.send(client, "k", ["GET", "a"], clock() + 1000, 1000));
    const answered = watch(deadlines.send(client, "k", ["GET", "b"], clock() + 2000, 2000));
    deadlines.close();
    expect(deadlines.armed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(silent.outcome?.ok).toBe(false);
    // Still armed: the second command is in flight and must stay bounded.
    expect(deadlines.armed).toBe(true);
    calls[1]!.resolve("v");
    await vi.advanceTimersByTimeAsync(0);
    expect(answered.outcome).toEqual({ ok: true, value: "v" });
    expect(deadlines.armed).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("RedisStore timeouts over the shared list", () => {
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

describe("the shared timer on a real clock", () => {
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
      const deadlines = new Deadlines();
      const { client } = manual();
      const result = watch(deadlines.send(client, "k", ["GET", "k"], deadlines.now() + 20, 20));
      expect(created).toHaveLength(1);
      expect(created[0]!.hasRef()).toBe(false);
      spy.mockRestore();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(result.outcome).toMatchObject({ ok: false, error: expect.any(CommandTimeoutError) });
    } finally {
      spy.mockRestore();
    }
  });
});
