import { MemoryStore, type SessionStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { keyring, setup } from "./helpers.js";

describe("no lost updates: versioned writes merge keys, userId, authTime and createdAt never revert", () => {
  it("50 parallel commits on one session, each a different key: none lost", async () => {
    const { request, jar, sessions, events } = setup({ maxRetries: 100 });
    await request((s) => s.login("u1"));
    const before = await sessions.load(jar.header());
    const loaded = await Promise.all(Array.from({ length: 50 }, () => sessions.load(jar.header())));
    loaded.forEach((s, i) => {
      (s as unknown as { set(k: string, v: unknown): void }).set(`k${i}`, i);
    });
    await Promise.all(loaded.map((s) => sessions.commit(s)));
    const final = await sessions.load(jar.header());
    const data = final.toJSON() as Record<string, number>;
    for (let i = 0; i < 50; i++) expect(data[`k${i}`]).toBe(i);
    expect(final.userId).toBe("u1");
    expect(final.authTime).toBe(before.authTime);
    expect(final.createdAt).toBe(before.createdAt);
    expect(events.filter((e) => e.type === "conflict").length).toBeGreaterThan(0);
  });

  it("the same key ends with one of the written values", async () => {
    const { request, jar, sessions } = setup({ maxRetries: 100 });
    await request((s) => s.set("n", -1));
    const loaded = await Promise.all(Array.from({ length: 20 }, () => sessions.load(jar.header())));
    loaded.forEach((s, i) => {
      s.set("n", i);
    });
    await Promise.all(loaded.map((s) => sessions.commit(s)));
    const n = (await sessions.load(jar.header())).get("n");
    expect(n).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(20);
  });

  it("a delete in one request and a set of another key in another both apply", async () => {
    const { request, jar, sessions, loadTwice } = setup();
    await request((s) => {
      s.set("cart", [1]);
      s.set("theme", "light");
    });
    const [a, b] = await loadTwice();
    a.delete("cart");
    b.set("theme", "dark");
    await sessions.commit(a);
    await sessions.commit(b);
    expect((await sessions.load(jar.header())).toJSON()).toEqual({ theme: "dark" });
  });

  it("a login elsewhere is never reverted by a merge", async () => {
    const { request, jar, sessions, loadTwice } = setup();
    await request((s) => s.set("n", 1));
    const [a, b] = await loadTwice();
    // b is the same session under the same key; a stale write must not drop fields written meanwhile
    b.set("theme", "dark");
    await sessions.commit(b);
    a.set("cart", [2]);
    await sessions.commit(a);
    const final = await sessions.load(jar.header());
    expect(final.toJSON()).toMatchObject({ n: 1, theme: "dark", cart: [2] });
  });

  it("exhausted retries throw ERR_SESSION_CONFLICT", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    // A store whose versioned writes always conflict.
    const store: SessionStore = {
      get: (k) => inner.get(k),
      touch: (k, e) => inner.touch(k, e),
      delete: (k) => inner.delete(k),
      set: async (k, e, o) =>
        o?.expectVersion !== undefined && o.expectVersion > 0
          ? { ok: false, conflict: true }
          : inner.set(k, e, o),
    };
    const sessions = createSessions<{ n: number }>({ keys: keyring(), store, maxRetries: 3 });
    const s = await sessions.load("");
    s.set("n", 1);
    const [line] = await sessions.commit(s);
    const again = await sessions.load(line!.split(";")[0]!);
    again.set("n", 2);
    await expect(sessions.commit(again)).rejects.toMatchObject({ code: "ERR_SESSION_CONFLICT" });
  });

  it("the default retries 10 times, with a wait before each re-read", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const calls: string[] = [];
    const store: SessionStore = {
      get: (k) => {
        calls.push("get");
        return inner.get(k);
      },
      touch: (k, e) => inner.touch(k, e),
      delete: (k) => inner.delete(k),
      set: async (k, e, o) => {
        calls.push("set");
        return o?.expectVersion !== undefined && o.expectVersion > 0
          ? { ok: false, conflict: true }
          : inner.set(k, e, o);
      },
    };
    const sessions = createSessions<{ n: number }>({ keys: keyring(), store });
    const s = await sessions.load("");
    s.set("n", 1);
    const [line] = await sessions.commit(s);
    const again = await sessions.load(line!.split(";")[0]!);
    calls.length = 0;
    again.set("n", 2);
    let timers = 0;
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      timers++;
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(50);
      return original(fn, ms);
    }) as typeof setTimeout;
    try {
      await expect(sessions.commit(again)).rejects.toMatchObject({ code: "ERR_SESSION_CONFLICT" });
    } finally {
      globalThis.setTimeout = original;
    }
    // The first write and 10 retries, each retry re-reading after one backoff.
    expect(calls.filter((c) => c === "set")).toHaveLength(11);
    expect(calls.filter((c) => c === "get")).toHaveLength(10);
    expect(timers).toBe(10);
  });

  // Regression: with 5 immediate retries, 2-5 of 20 parallel writers to one
  // session failed with ERR_SESSION_CONFLICT on every networked store (harness).
  it("defaults: 20 parallel writers on a store with network-like latency all succeed", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const lag = <T>(then: () => Promise<T>) =>
      new Promise((r) => setTimeout(r, Math.random() * 2)).then(then);
    const store: SessionStore = {
      get: (k) => lag(() => inner.get(k)),
      touch: (k, e) => lag(() => inner.touch(k, e)),
      delete: (k) => lag(() => inner.delete(k)),
      set: (k, e, o) => lag(() => inner.set(k, e, o)),
    };
    const sessions = createSessions<Record<string, number>>({ keys: keyring(), store });
    const first = await sessions.load("");
    first.set("seed", 0);
    const cookie = (await sessions.commit(first))[0]!.split(";")[0]!;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, async (_, i) => {
        const s = await sessions.load(cookie);
        s.set(`k${i}`, i);
        return sessions.commit(s);
      }),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const data = (await sessions.load(cookie)).toJSON();
    for (let i = 0; i < 20; i++) expect(data[`k${i}`]).toBe(i);
  });
});
