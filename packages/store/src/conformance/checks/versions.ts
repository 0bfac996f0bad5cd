import { equal, isNull } from "../lib/assert.js";
import {
  type ConformanceCheck,
  check,
  conflict,
  creates,
  holds,
  later,
  written,
} from "../lib/define.js";

/** The checks of versioned writes and of concurrent writers. */
export const versionChecks: readonly ConformanceCheck[] = [
  check("versions: expectVersion 0 creates only", async (c) => {
    const k = c.key();
    const expiresAt = later();
    await creates(c.store, k, { value: "first", expiresAt }, "create");
    conflict(
      await c.store.set(k, { value: "second", expiresAt }, { expectVersion: 0 }),
      "create on an existing key",
    );
    await holds(c.store, k, { value: "first", expiresAt, version: 1 }, "get after the conflict");
  }),

  check(
    "versions: a matching expectVersion writes; stale or future versions conflict",
    async (c) => {
      const k = c.key();
      const expiresAt = later();
      await c.store.set(k, { value: "v1", expiresAt });
      written(
        await c.store.set(k, { value: "v2", expiresAt }, { expectVersion: 1 }),
        2,
        "write at version 1",
      );
      conflict(
        await c.store.set(k, { value: "stale", expiresAt }, { expectVersion: 1 }),
        "stale expectVersion",
      );
      conflict(
        await c.store.set(k, { value: "future", expiresAt }, { expectVersion: 3 }),
        "future expectVersion",
      );
      await holds(c.store, k, { value: "v2", expiresAt, version: 2 }, "get after conflicts");
      await c.store.touch(k, expiresAt + 1000);
      written(
        await c.store.set(k, { value: "v3", expiresAt }, { expectVersion: 2 }),
        3,
        "write after a touch (touch must not bump the version)",
      );
    },
  ),

  check(
    "versions: expectVersion above 0 on a missing key conflicts and creates nothing",
    async (c) => {
      const k = c.key();
      conflict(
        await c.store.set(k, { value: "x", expiresAt: later() }, { expectVersion: 1 }),
        "set(missing, expect 1)",
      );
      isNull(await c.store.get(k), "get after the conflict");
    },
  ),

  check("concurrency: parallel versioned writes from one version, exactly one wins", async (c) => {
    const k = c.key();
    const expiresAt = later();
    await c.store.set(k, { value: "base", expiresAt });
    const n = c.options.concurrency;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        c.store.set(k, { value: `writer-${i}`, expiresAt }, { expectVersion: 1 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    equal(winners.length, 1, `winners among ${n} parallel writes with expectVersion 1`);
    results.forEach((r, i) => {
      if (!r.ok) conflict(r, `loser ${i}`);
    });
    written(results[winners[0]!]!, 2, "the winner");
    await holds(c.store, k, { value: `writer-${winners[0]}`, expiresAt, version: 2 }, "get");
  }),

  check("concurrency: parallel creates with expectVersion 0, exactly one wins", async (c) => {
    const k = c.key();
    const expiresAt = later();
    const n = c.options.concurrency;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        c.store.set(k, { value: `creator-${i}`, expiresAt }, { expectVersion: 0 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    equal(winners.length, 1, `winners among ${n} parallel creates`);
    await holds(c.store, k, { value: `creator-${winners[0]}`, expiresAt, version: 1 }, "get");
  }),
];
