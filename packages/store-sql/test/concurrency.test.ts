import { randomKey } from "@tessera/store/conformance";
import { expect, it } from "vitest";
import { SqlStore } from "../src/index.js";
import { describeEachTarget, uniqueTable } from "./helpers.js";

// Optimistic concurrency: N writers over separate pooled connections all start from the
// same version; the database must let exactly one through.
const N = 24;
const table = uniqueTable("conc");

describeEachTarget([table], (target) => {
  const store = () => new SqlStore(target().executor, { table });

  it(`${N} parallel versioned writes from version 3: exactly one wins with version 4`, async () => {
    const s = store();
    const key = randomKey();
    const expiresAt = Date.now() + 60_000;
    for (let i = 0; i < 3; i++) await s.set(key, { value: `base-${i}`, expiresAt, userId: "u1" });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        s.set(key, { value: `writer-${i}`, expiresAt, userId: "u1" }, { expectVersion: 3 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results[winners[0]!]).toEqual({ ok: true, version: 4 });
    expect(results.filter((r) => !r.ok)).toHaveLength(N - 1);
    expect(await s.get(key)).toEqual({
      value: `writer-${winners[0]}`,
      expiresAt,
      userId: "u1",
      version: 4,
    });
  });

  it(`${N} parallel creates over an expired row: exactly one wins`, async () => {
    const s = store();
    const key = randomKey();
    await s.set(key, { value: "old", expiresAt: Date.now() + 50 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const expiresAt = Date.now() + 60_000;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        s.set(key, { value: `creator-${i}`, expiresAt }, { expectVersion: 0 }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(await s.get(key)).toEqual({ value: `creator-${winners[0]}`, expiresAt, version: 1 });
  });

  it(`${N} parallel unconditional upserts get distinct versions 1..${N}`, async () => {
    const s = store();
    const key = randomKey();
    const expiresAt = Date.now() + 60_000;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => s.set(key, { value: `w-${i}`, expiresAt })),
    );
    const versions = results.map((r) => (r.ok ? r.version : -1)).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect((await s.get(key))?.version).toBe(N);
  });
});
