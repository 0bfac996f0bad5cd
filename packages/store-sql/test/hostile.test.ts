import { StoreError } from "@tessera/store";
import { randomKey } from "@tessera/store/conformance";
import { describe, expect, it } from "vitest";
import { thrown } from "../../../scripts/outcomes.js";
import { SqlStore } from "../src/index.js";
import { describeEachTarget, uniqueTable } from "./helpers.js";

const table = uniqueTable("hostile");
const bystander = uniqueTable("users");

const VALUES: Array<[string, string]> = [
  ["quotes", `'"\`''""`],
  ["semicolons and SQL", "'; DROP TABLE users; -- \"); DELETE FROM x; /*"],
  ["backslashes", "\\'\\\"\\0\\n"],
  ["Unicode", "é中ÿ\u2028\u2029\ufeff\uffff"],
  ["emoji (4-byte UTF-8)", "🍪🔐👩‍👩‍👧‍👦🏳️‍🌈"],
  ["NUL", "a\u0000b\u0000"],
  ["leading U+0001 (the PostgreSQL escape marker)", "\u0001\u0000\u0001\u0002"],
  ["64 KiB", "x".repeat(65_536)],
  ["1 MiB of 4-byte characters", "🍪".repeat(262_144)],
];

const targetNamed = describeEachTarget([table, bystander], (target) => {
  // The hostile name never reaches the database.
  it.each([
    'sess"; DROP TABLE users; --',
    `${bystander}"; DROP TABLE ${bystander}; --`,
    `${bystander}\`; DROP TABLE ${bystander}; --`,
  ])("rejects table %j at construction and leaves other tables alone", async (hostile) => {
    const t = target();
    const error = thrown(() => new SqlStore(t.executor, { table: hostile }));
    expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_INVALID_OPTION");
    const other = new SqlStore(t.executor, { table: bystander });
    const key = randomKey();
    await other.set(key, { value: "still here", expiresAt: Date.now() + 60_000 });
    expect((await other.get(key))?.value).toBe("still here");
    await other.delete(key);
  });

  it.each(VALUES)("round-trips a %s value exactly", async (_, value) => {
    const store = new SqlStore(target().executor, { table });
    const key = randomKey();
    const expiresAt = Date.now() + 60_000;
    expect(await store.set(key, { value, expiresAt, userId: `u-${value.slice(0, 40)}` })).toEqual({
      ok: true,
      version: 1,
    });
    const got = await store.get(key);
    expect(got?.value === value).toBe(true);
    expect(got?.userId).toBe(`u-${value.slice(0, 40)}`);
    const listed = await store.listByUser(`u-${value.slice(0, 40)}`);
    expect(listed.map((entry) => entry.key)).toEqual([key]);
    await store.delete(key);
  });

  it("keeps user ids that differ only by trailing spaces or case apart", async () => {
    const store = new SqlStore(target().executor, { table });
    const [a, b, c] = [randomKey(), randomKey(), randomKey()];
    const expiresAt = Date.now() + 60_000;
    const owner = `owner-${randomKey().slice(0, 8)}`;
    await store.set(a, { value: "a", expiresAt, userId: owner });
    await store.set(b, { value: "b", expiresAt, userId: `${owner} ` });
    await store.set(c, { value: "c", expiresAt, userId: owner.toUpperCase() });
    expect((await store.listByUser(owner)).map((s) => s.key)).toEqual([a]);
    expect(await store.deleteByUser(owner)).toBe(1);
    expect((await store.get(b))?.value).toBe("b");
    expect((await store.get(c))?.value).toBe("c");
    await store.deleteByUser(`${owner} `);
    await store.deleteByUser(owner.toUpperCase());
  });
});

describe("PostgreSQL NUL handling", () => {
  // PostgreSQL text rejects U+0000, so the store escapes it (documented in the README).
  it("stores NUL-bearing values escaped and other values verbatim", async () => {
    const t = targetNamed("PostgreSQL (pg Pool)");
    const store = new SqlStore(t.executor, { table });
    const [plain, nul] = [randomKey(), randomKey()];
    const expiresAt = Date.now() + 60_000;
    await store.set(plain, { value: '{"a":1}', expiresAt });
    await store.set(nul, { value: "a\u0000b", expiresAt });
    const { rows } = await t.executor.query(
      `SELECT "key", "value" FROM "${table}" WHERE "key" IN ($1, $2)`,
      [plain, nul],
    );
    const raw = new Map(rows.map((row) => [row["key"], row["value"]]));
    expect(raw.get(plain)).toBe('{"a":1}');
    expect(raw.get(nul)).toBe("\u0001a\u0001\u0002b");
  });
});
