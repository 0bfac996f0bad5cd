import { MemoryStore, type SessionStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions } from "../src/create-sessions.js";
import { keyring, setup } from "./helpers.js";

describe("no lost updates (ST-10, SECURITY decision 3)", () => {
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
    const { request, jar, sessions } = setup();
    await request((s) => {
      s.set("cart", [1]);
      s.set("theme", "light");
    });
    const a = await sessions.load(jar.header());
    const b = await sessions.load(jar.header());
    a.delete("cart");
    b.set("theme", "dark");
    await sessions.commit(a);
    await sessions.commit(b);
    expect((await sessions.load(jar.header())).toJSON()).toEqual({ theme: "dark" });
  });

  it("a login elsewhere is never reverted by a merge", async () => {
    const { request, jar, sessions } = setup();
    await request((s) => s.set("n", 1));
    const a = await sessions.load(jar.header());
    const b = await sessions.load(jar.header());
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
});
