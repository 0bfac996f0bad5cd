import type { SqlExecutor } from "../executor.js";

/**
 * The part of a better-sqlite3 `Database` the binding uses.
 *
 * @example
 * ```ts
 * const db: BetterSqlite3Database = new Database("sessions.db");
 * ```
 */
export interface BetterSqlite3Database {
  prepare(sql: string): {
    readonly reader: boolean;
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): { changes: number };
  };
}

/**
 * Binds better-sqlite3. Its API is synchronous: each call runs at once and
 * resolves a promise; statements are prepared once and cached. For a file
 * shared by several processes, set `db.pragma("journal_mode = WAL")` and a
 * `timeout` so writers wait for each other instead of failing with SQLITE_BUSY.
 *
 * @example
 * ```ts
 * import Database from "better-sqlite3";
 * const db = new Database("sessions.db", { timeout: 5000 });
 * const store = new SqlStore(betterSqlite3Executor(db));
 * ```
 */
export function betterSqlite3Executor(db: BetterSqlite3Database): SqlExecutor {
  const statements = new Map<string, ReturnType<BetterSqlite3Database["prepare"]>>();
  return {
    dialect: "sqlite",
    async query(sql, params) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      if (statement.reader) {
        const rows = statement.all(...params) as Array<Record<string, unknown>>;
        return { rows, affected: rows.length };
      }
      return { rows: [], affected: statement.run(...params).changes };
    },
  };
}
