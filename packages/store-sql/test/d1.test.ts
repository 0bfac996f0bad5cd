import { StoreError, StoreUnavailableError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import {
  type D1DatabaseLike,
  type D1PreparedStatementLike,
  type D1ResultLike,
  d1Executor,
} from "../src/clients/d1.js";
import { SqlStore } from "../src/sql-store.js";

// The real D1 (miniflare's local D1 inside workerd) runs the conformance suite in
// packages/store-cloudflare/test/workerd.test.ts; these fakes pin the binding's
// calls and the classification of D1's errors.

const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

function fakeD1(answer: (sql: string, params: unknown[]) => Promise<D1ResultLike>) {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  const db: D1DatabaseLike = {
    prepare(sql) {
      const statement = (params: unknown[]): D1PreparedStatementLike => ({
        bind: (...values) => statement(values),
        all: () => {
          calls.push({ sql, params });
          return answer(sql, params);
        },
      });
      return statement([]);
    },
  };
  return { db, calls };
}

describe("d1Executor", () => {
  it.each([undefined, null, {}, "DB"])("refuses %j as the database", (db) => {
    let caught: unknown;
    try {
      d1Executor(db as unknown as D1DatabaseLike);
    } catch (error) {
      caught = error;
    }
    expect(StoreError.isInstance(caught) && caught.code).toBe("ERR_STORE_INVALID_OPTION");
    expect(String(caught)).toMatch(/d1Executor\(db\)/);
  });

  it("binds every parameter and reports rows and meta.changes", async () => {
    const { db, calls } = fakeD1(async () => ({ results: [{ version: 2 }], meta: { changes: 1 } }));
    const executor = d1Executor(db);
    expect(executor.dialect).toBe("sqlite");
    expect(await executor.query("UPDATE t SET a = ? WHERE b = ?", ["x", 5])).toEqual({
      rows: [{ version: 2 }],
      affected: 1,
    });
    expect(calls).toEqual([{ sql: "UPDATE t SET a = ? WHERE b = ?", params: ["x", 5] }]);
  });

  it("runs a statement without parameters unbound, and tolerates a result without results or meta", async () => {
    const { db } = fakeD1(async () => ({}));
    expect(await d1Executor(db).query("CREATE TABLE t (a)", [])).toEqual({ rows: [], affected: 0 });
  });

  it.each([
    ["a lost connection", "Network connection lost.", true],
    ["an overloaded database", "D1 DB is overloaded. Requests queued for too long.", true],
    [
      "a reset object",
      "D1_ERROR: Internal error in D1 DB storage caused object to be reset.",
      true,
    ],
    ["a code update", "D1_ERROR: D1 DB reset because its code was updated.", true],
    ["a missing table", "D1_ERROR: no such table: tessera_sessions: SQLITE_ERROR", false],
    ["a constraint", "D1_ERROR: UNIQUE constraint failed: t.key: SQLITE_CONSTRAINT", false],
    ["a value too big", "D1_ERROR: string or blob too big: SQLITE_TOOBIG", false],
    ["a bad parameter type", "D1_TYPE_ERROR: Type 'bigint' not supported for value '1'", false],
  ])("classifies %s as unavailable: %s", async (_, message, unavailable) => {
    const { db } = fakeD1(async () => {
      throw new Error(message);
    });
    const store = new SqlStore(d1Executor(db));
    const error = await store.get(KEY).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Either way an error, never "no session": 503 for an outage, a backend error otherwise.
    expect(StoreUnavailableError.isInstance(error)).toBe(unavailable);
    expect(StoreError.isInstance(error) && error.code).toBe(
      unavailable ? "ERR_STORE_UNAVAILABLE" : "ERR_STORE_BACKEND",
    );
  });
});
