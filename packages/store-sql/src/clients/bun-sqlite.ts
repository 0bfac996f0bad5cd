import { objectOption } from "@tessera/store/driver";
import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * The part of a `bun:sqlite` `Database` the binding uses (Bun 1.1.14+, whose
 * `run()` reports `changes`).
 *
 * @example
 * ```ts
 * import { Database } from "bun:sqlite";
 * const db: BunSqliteDatabase = new Database("sessions.db");
 * ```
 */
export interface BunSqliteDatabase {
  query(sql: string): {
    readonly columnNames: readonly string[];
    all(...params: SqlParam[]): unknown[];
    run(...params: SqlParam[]): { changes: number | bigint };
  };
}

// Bun throws a RangeError without a code once the database is closed.
function isBunSqliteUnavailable(error: unknown): boolean {
  return error instanceof Error && /closed database/i.test(error.message);
}

/**
 * Binds Bun's built-in SQLite (`bun:sqlite`): pass a `Database`. It is
 * synchronous: each call runs at once and resolves a promise; statements go
 * through `db.query()`, which prepares each text once and caches it. For a
 * file shared by several processes, set `PRAGMA journal_mode = WAL` and
 * `PRAGMA busy_timeout` so writers wait for each other instead of failing with
 * SQLITE_BUSY. This module never imports `bun:sqlite` itself, so the package
 * still loads on Node and in bundlers.
 *
 * @example
 * ```ts
 * import { Database } from "bun:sqlite";
 * const db = new Database("sessions.db");
 * db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000");
 * const store = new SqlStore(bunSqliteExecutor(db));
 * ```
 */
export function bunSqliteExecutor(db: BunSqliteDatabase): SqlExecutor {
  objectOption("bunSqliteExecutor(db)", db, ["query"], "expected a bun:sqlite Database");
  return {
    dialect: "sqlite",
    async query(sql, params) {
      const statement = db.query(sql);
      if (statement.columnNames.length > 0) {
        const rows = statement.all(...params) as Array<Record<string, unknown>>;
        return { rows, affected: rows.length };
      }
      return { rows: [], affected: Number(statement.run(...params).changes) };
    },
    isUnavailable: isBunSqliteUnavailable,
  };
}
