import { ensure, equal, isNull } from "../lib/assert.js";
import {
  type ConformanceCheck,
  check,
  conflict,
  creates,
  DAY,
  holds,
  later,
  written,
} from "../lib/define.js";

/** The checks of get, set, touch and delete on one entry. */
export const entryChecks: readonly ConformanceCheck[] = [
  check("get: a missing key resolves to null", async ({ store, key }) => {
    isNull(await store.get(key()), "get(missing)");
  }),

  check("set/get: round-trips value, expiresAt, userId and version 1", async (c) => {
    const k = c.key();
    const userId = c.userId();
    const expiresAt = later();
    written(await c.store.set(k, { value: "hello", expiresAt, userId }), 1, "first set");
    await holds(c.store, k, { value: "hello", expiresAt, userId, version: 1 }, "get");
  }),

  check("set/get: an entry without userId comes back without one", async (c) => {
    const k = c.key();
    const expiresAt = later();
    written(await c.store.set(k, { value: "anonymous", expiresAt }), 1, "set");
    await holds(c.store, k, { value: "anonymous", expiresAt, version: 1 }, "get");
  }),

  check(
    "set: unconditional upserts bump the version and replace value, expiry and owner",
    async (c) => {
      const k = c.key();
      const [u1, u2] = [c.userId(), c.userId()];
      const e1 = later();
      const e2 = e1 + 1000;
      written(await c.store.set(k, { value: "one", expiresAt: e1, userId: u1 }), 1, "set #1");
      written(await c.store.set(k, { value: "two", expiresAt: e2, userId: u2 }), 2, "set #2");
      written(await c.store.set(k, { value: "three", expiresAt: e1 }), 3, "set #3");
      await holds(c.store, k, { value: "three", expiresAt: e1, version: 3 }, "get");
    },
  ),

  check("get: returns a copy; mutating it does not change the store", async (c) => {
    const k = c.key();
    const expiresAt = later();
    await c.store.set(k, { value: "original", expiresAt, userId: "owner" });
    const first = await c.store.get(k);
    ensure(first !== null, "get after set: expected an entry, got null");
    first.value = "mutated";
    first.version = 99;
    first.expiresAt = 0;
    first.userId = "intruder";
    await holds(
      c.store,
      k,
      { value: "original", expiresAt, userId: "owner", version: 1 },
      "get again",
    );
    const input = { value: "input", expiresAt, userId: "owner" };
    await c.store.set(k, input);
    input.value = "changed after set";
    equal((await c.store.get(k))?.value, "input", "value after the caller mutated its input");
  }),

  check(
    "delete: removes the entry, is idempotent, and re-creation starts at version 1",
    async (c) => {
      const k = c.key();
      await c.store.set(k, { value: "v", expiresAt: later() });
      await c.store.set(k, { value: "v2", expiresAt: later() });
      await c.store.delete(k);
      isNull(await c.store.get(k), "get after delete");
      await c.store.delete(k);
      await c.store.delete(c.key());
      const expiresAt = later();
      await creates(c.store, k, { value: "again", expiresAt }, "re-create");
      await holds(c.store, k, { value: "again", expiresAt, version: 1 }, "get after re-create");
    },
  ),

  check(
    "expiry: an entry is never returned at or after expiresAt and then counts as absent",
    async (c) => {
      const k = c.key();
      const expiresAt = c.inMs(c.options.ttlMs);
      await c.store.set(k, { value: "short-lived", expiresAt });
      await holds(c.store, k, { value: "short-lived", expiresAt, version: 1 }, "get before expiry");
      await c.sleepUntil(expiresAt + c.options.expiryToleranceMs);
      isNull(await c.store.get(k), `get ${Date.now() - expiresAt} ms after expiresAt`);
      await creates(
        c.store,
        k,
        { value: "reborn", expiresAt: later() },
        "expectVersion 0 on an expired key (expired counts as absent)",
      );
    },
  ),

  check("touch: extends expiry without changing value, owner or version", async (c) => {
    const k = c.key();
    const ttl = c.options.ttlMs;
    const start = Date.now();
    const userId = c.userId();
    await c.store.set(k, { value: "kept", expiresAt: start + ttl, userId });
    await c.store.set(k, { value: "kept", expiresAt: start + ttl, userId });
    const extended = start + 3 * ttl;
    await c.store.touch(k, extended);
    await c.sleepUntil(start + 2 * ttl + c.options.expiryToleranceMs);
    await holds(
      c.store,
      k,
      { value: "kept", expiresAt: extended, userId, version: 2 },
      "get after the original expiry (touch must extend and must not bump the version)",
    );
    await c.sleepUntil(extended + c.options.expiryToleranceMs);
    isNull(await c.store.get(k), "get after the extended expiry");
  }),

  check("touch: can shorten expiry", async (c) => {
    const k = c.key();
    await c.store.set(k, { value: "v", expiresAt: Date.now() + 10 * DAY });
    const sooner = later();
    await c.store.touch(k, sooner);
    await holds(c.store, k, { value: "v", expiresAt: sooner, version: 1 }, "get after touch");
  }),

  check("touch: on a missing key is a no-op and creates nothing", async (c) => {
    const k = c.key();
    await c.store.touch(k, later());
    isNull(await c.store.get(k), "get after touch(missing)");
    await creates(c.store, k, { value: "v", expiresAt: later() }, "create after touch");
  }),

  check("touch: expiresAt at or before now deletes the entry", async (c) => {
    const k = c.key();
    await c.store.set(k, { value: "v", expiresAt: later() });
    await c.store.touch(k, Date.now() - 1000);
    isNull(await c.store.get(k), "get after touch into the past");
    const k2 = c.key();
    await c.store.set(k2, { value: "v", expiresAt: later() });
    await c.store.touch(k2, 0);
    isNull(await c.store.get(k2), "get after touch(0)");
  }),

  check(
    "set: expiresAt at or before now deletes, returns version 0 and never stores",
    async (c) => {
      const k = c.key();
      await c.store.set(k, { value: "v", expiresAt: later() });
      written(
        await c.store.set(k, { value: "gone", expiresAt: Date.now() - 5000 }),
        0,
        "set into the past (existing)",
      );
      isNull(await c.store.get(k), "get after set into the past");
      const missing = c.key();
      written(
        await c.store.set(missing, { value: "x", expiresAt: 0 }),
        0,
        "set(expiresAt 0) on a missing key",
      );
      isNull(await c.store.get(missing), "get after set(expiresAt 0)");
      written(
        await c.store.set(missing, { value: "x", expiresAt: -1 }, { expectVersion: 0 }),
        0,
        "create-only set into the past",
      );
      isNull(await c.store.get(missing), "get after create-only set into the past");
      const versioned = c.key();
      await c.store.set(versioned, { value: "v", expiresAt: later() });
      conflict(
        await c.store.set(versioned, { value: "x", expiresAt: 0 }, { expectVersion: 7 }),
        "stale versioned delete-by-expiry",
      );
      equal(
        (await c.store.get(versioned))?.value,
        "v",
        "value after a conflicting delete-by-expiry",
      );
    },
  ),

  check(
    "expiry: a far-future expiresAt (60 days, beyond Memcached's 30-day relative TTL) is kept",
    async (c) => {
      const k = c.key();
      const expiresAt = Date.now() + 60 * DAY;
      await c.store.set(k, { value: "remember me", expiresAt });
      await holds(c.store, k, { value: "remember me", expiresAt, version: 1 }, "get");
      const further = Date.now() + 90 * DAY;
      await c.store.touch(k, further);
      await holds(
        c.store,
        k,
        { value: "remember me", expiresAt: further, version: 1 },
        "get after touch",
      );
    },
  ),
];
