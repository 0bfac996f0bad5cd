/**
 * Logout deletes on the server first; a failed delete is reported, retried,
 * and never forgotten (OWASP "Manual Session Expiration").
 */
import { MemoryStore, type SessionStore, StoreUnavailableError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions, type SessionEvent } from "../src/index.js";
import { PendingRevocations } from "../src/lib/pending.js";
import { clock, Jar, keyring } from "./helpers.js";

/** A store whose delete fails `failures` times, then works. */
function flakyStore(failures: number) {
  const c = clock();
  const inner = new MemoryStore({ sweepIntervalMs: 0, now: c.now });
  const state = { failures, deletes: 0 };
  const store: SessionStore = {
    get: (k) => inner.get(k),
    set: (k, e, o) => inner.set(k, e, o),
    touch: (k, t) => inner.touch(k, t),
    delete: async (k) => {
      state.deletes++;
      if (state.failures > 0) {
        state.failures--;
        throw new StoreUnavailableError("injected outage");
      }
      return inner.delete(k);
    },
  };
  const events: SessionEvent[] = [];
  const sessions = createSessions({
    keys: keyring(),
    store,
    now: c.now,
    onEvent: (e) => events.push(e),
  });
  return { sessions, inner, state, events, clock: c };
}

async function loggedIn(t: ReturnType<typeof flakyStore>) {
  const jar = new Jar();
  const s = await t.sessions.load("");
  await s.login("u1");
  jar.apply(await t.sessions.commit(s));
  return { jar, key: (s as unknown as { key: string }).key };
}

describe("logout while the store is down", () => {
  it("rejects with the store's typed error, still clears the cookie, emits store_error", async () => {
    const t = flakyStore(1);
    const { jar, key } = await loggedIn(t);
    const s = await t.sessions.load(jar.header());
    const error = await s.logout().catch((e: unknown) => e);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
    const lines = await t.sessions.commit(s);
    expect(lines[0]).toMatch(/^__Host-sid=;.*Max-Age=0/);
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: "store_error", operation: "delete", session: key }),
    );
  });

  it("fails 3 times then recovers: retried on later store interactions, record eventually absent", async () => {
    const t = flakyStore(3);
    const { jar, key } = await loggedIn(t);
    const stolen = jar.clone();
    const s = await t.sessions.load(jar.header());
    await expect(s.logout()).rejects.toMatchObject({ code: "ERR_STORE_UNAVAILABLE" });
    await t.sessions.commit(s); // kicks a retry (failure 2 of 3)
    expect(await t.inner.get(key)).not.toBeNull();
    // Meanwhile the stolen cookie does not load, although the store still holds the record.
    const replay = await t.sessions.load(stolen.header());
    expect(replay.userId).toBeUndefined();
    expect(replay.rejected).toBe("unknown_id");
    // Wait for background retries to settle, then one explicit retry.
    let remaining = 1;
    for (let i = 0; i < 5 && remaining > 0; i++) remaining = await t.sessions.retryPending();
    expect(remaining).toBe(0);
    expect(t.state.failures).toBe(0);
    expect(await t.inner.get(key)).toBeNull();
    expect(t.events).toContainEqual(
      expect.objectContaining({ type: "destroyed", session: key, reason: "logout" }),
    );
    expect((await t.sessions.load(stolen.header())).userId).toBeUndefined();
  });

  it("a store that keeps failing keeps the revocation owed", async () => {
    const t = flakyStore(1_000);
    const { jar, key } = await loggedIn(t);
    const s = await t.sessions.load(jar.header());
    await expect(s.logout()).rejects.toBeDefined();
    expect(await t.sessions.retryPending()).toBe(1);
    expect(await t.sessions.retryPending()).toBe(1);
    expect(await t.inner.get(key)).not.toBeNull();
    expect((await t.sessions.load(jar.header())).userId).toBeUndefined();
  });

  it("the queue is bounded: the oldest owed revocation is dropped with an event", async () => {
    const dropped: string[] = [];
    const q = new PendingRevocations({
      maxPending: 3,
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
      onError: () => {},
      onDone: () => {},
      onDropped: (k) => dropped.push(k),
    });
    const fail = () => Promise.reject(new Error("down"));
    for (const k of ["a", "b", "c", "d", "e"]) q.add(k, fail);
    expect(q.size).toBe(3);
    expect(dropped).toEqual(["a", "b"]);
    expect(q.has("e")).toBe(true);
    expect(await q.flush()).toBe(3);
  });
});
