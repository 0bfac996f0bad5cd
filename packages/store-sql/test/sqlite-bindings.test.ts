import { StoreError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { type BunSqliteDatabase, bunSqliteExecutor } from "../src/clients/bun-sqlite.js";
import {
  type NodeSqliteDatabase,
  type NodeSqliteStatement,
  nodeSqliteExecutor,
} from "../src/clients/node-sqlite.js";
import type { SqlExecutor } from "../src/executor.js";
import { SqlStore } from "../src/sql-store.js";

// The real node:sqlite and bun:sqlite run in test/builtin-sqlite.test.ts; these
// fakes pin what the machine's Node can check: argument checks and the
// classification of the runtimes' errors.

function codeOf(attempt: () => unknown): string | undefined {
  try {
    attempt();
  } catch (error) {
    return StoreError.isInstance(error) ? error.code : String(error);
  }
  return undefined;
}

function fakeNode(statement: Partial<NodeSqliteStatement>): NodeSqliteDatabase {
  return {
    prepare: () => ({
      all: () => [],
      run: () => ({ changes: 0 }),
      ...statement,
    }),
  };
}

function errorOf(executor: SqlExecutor, error: unknown): boolean {
  return executor.isUnavailable?.(error) === true;
}

describe("nodeSqliteExecutor", () => {
  it.each([undefined, null, {}, "sessions.db"])("refuses %j as the database", (db) => {
    expect(codeOf(() => nodeSqliteExecutor(db as unknown as NodeSqliteDatabase))).toBe(
      "ERR_STORE_INVALID_OPTION",
    );
  });

  it("rejects with ERR_STORE_INVALID_OPTION on a Node whose statements lack columns()", async () => {
    const store = new SqlStore(nodeSqliteExecutor(fakeNode({})));
    const error = await store.get("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg").catch((e) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_INVALID_OPTION");
    expect(String(error)).toContain("22.16");
  });

  it("reports changes that come back as a bigint as a number", async () => {
    const executor = nodeSqliteExecutor(
      fakeNode({ columns: () => [], run: () => ({ changes: 3n }) }),
    );
    expect(await executor.query("DELETE FROM t", [])).toEqual({ rows: [], affected: 3 });
  });

  const sqliteError = (errcode: number) =>
    Object.assign(new Error("sqlite"), { code: "ERR_SQLITE_ERROR", errcode });

  it.each([
    ["SQLITE_BUSY", sqliteError(5), true],
    ["SQLITE_BUSY_SNAPSHOT (extended)", sqliteError(517), true],
    ["SQLITE_LOCKED", sqliteError(6), true],
    ["SQLITE_IOERR_WRITE", sqliteError(778), true],
    ["SQLITE_FULL", sqliteError(13), true],
    ["SQLITE_CANTOPEN", sqliteError(14), true],
    [
      "closed database",
      Object.assign(new Error("database is not open"), { code: "ERR_INVALID_STATE" }),
      true,
    ],
    [
      "statement of a closed database",
      Object.assign(new Error("statement has been finalized"), { code: "ERR_INVALID_STATE" }),
      true,
    ],
    ["SQLITE_CONSTRAINT_PRIMARYKEY", sqliteError(1555), false],
    ["SQLITE_ERROR (syntax, missing table)", sqliteError(1), false],
    ["another invalid state", Object.assign(new Error("x"), { code: "ERR_INVALID_STATE" }), false],
    ["not an error", "database is not open", false],
  ])("classifies %s as unavailable: %s", (_, error, unavailable) => {
    expect(errorOf(nodeSqliteExecutor(fakeNode({})), error)).toBe(unavailable);
  });
});

describe("bunSqliteExecutor", () => {
  it.each([undefined, null, {}, "sessions.db"])("refuses %j as the database", (db) => {
    expect(codeOf(() => bunSqliteExecutor(db as unknown as BunSqliteDatabase))).toBe(
      "ERR_STORE_INVALID_OPTION",
    );
  });

  it.each([
    ["closed database", new RangeError("Cannot use a closed database"), true],
    ["syntax error", Object.assign(new Error("near x"), { code: "SQLITE_ERROR" }), false],
  ])("classifies %s as unavailable: %s", (_, error, unavailable) => {
    const executor = bunSqliteExecutor({
      query: () => ({ columnNames: [], all: () => [], run: () => ({ changes: 0 }) }),
    });
    expect(errorOf(executor, error)).toBe(unavailable);
  });
});
