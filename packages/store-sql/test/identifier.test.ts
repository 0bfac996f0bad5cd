import { StoreError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { indexName, parseTableName, quoteTable } from "../src/lib/identifier.js";

describe("parseTableName", () => {
  it.each([
    ["sessions", "postgres", '"sessions"'],
    ["Sessions", "sqlite", '"Sessions"'],
    ["_t9", "mysql", "`_t9`"],
    ["auth.sessions", "postgres", '"auth"."sessions"'],
    ["s".repeat(63), "postgres", `"${"s".repeat(63)}"`],
  ] as const)("accepts %j on %s as %s", (table, dialect, quoted) => {
    expect(quoteTable(parseTableName(table, dialect), dialect)).toBe(quoted);
  });

  // Identifiers cannot be bound, so anything but a
  // plain identifier is refused at configuration time.
  it.each([
    ['sess"; DROP TABLE users; --', "postgres"],
    ['sess"; DROP TABLE users; --', "mysql"],
    ['sess"; DROP TABLE users; --', "sqlite"],
    ["sess`; DROP TABLE users; --", "mysql"],
    ["sess'", "postgres"],
    ["", "postgres"],
    ["9sessions", "postgres"],
    ["sessions ", "postgres"],
    ["ses-sions", "mysql"],
    ["séssions", "postgres"],
    ["s".repeat(64), "postgres"],
    ["a.b.c", "postgres"],
    ["auth.sessions", "mysql"],
    ["auth.sessions", "sqlite"],
    [".sessions", "postgres"],
    ["sessions\u0000", "sqlite"],
    [42, "postgres"],
    [null, "postgres"],
  ] as const)("rejects %j on %s with ERR_STORE_INVALID_OPTION", (table, dialect) => {
    let caught: unknown;
    try {
      parseTableName(table, dialect);
    } catch (error) {
      caught = error;
    }
    expect(StoreError.isInstance(caught)).toBe(true);
    expect((caught as StoreError).code).toBe("ERR_STORE_INVALID_OPTION");
    expect((caught as StoreError).message).toContain("option table is invalid");
  });
});

describe("indexName", () => {
  it("stays within 63 characters and keeps the suffixes apart for long table names", () => {
    const table = parseTableName("t".repeat(63), "postgres");
    const a = indexName(table, "_expires_at_idx");
    const b = indexName(table, "_user_id_idx");
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
});
