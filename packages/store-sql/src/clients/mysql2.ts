import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * The part of a `mysql2/promise` `Pool`, `Connection` or `PoolConnection` the binding uses.
 *
 * @example
 * ```ts
 * const queryable: Mysql2Queryable = mysql.createPool(process.env.DATABASE_URL!);
 * ```
 */
export interface Mysql2Queryable {
  execute(sql: string, values: SqlParam[]): Promise<[unknown, unknown]>;
}

/**
 * Binds mysql2 through its promise API (`mysql2/promise`, or `pool.promise()`
 * of a callback pool). Statements run with `execute`: server-side prepared
 * statements, parameters never spliced into SQL text. Use a pool (it replaces
 * dead connections after an outage) with the default utf8mb4 charset.
 *
 * @example
 * ```ts
 * import mysql from "mysql2/promise";
 * const pool = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10 });
 * const store = new SqlStore(mysql2Executor(pool));
 * ```
 */
export function mysql2Executor(pool: Mysql2Queryable): SqlExecutor {
  return {
    dialect: "mysql",
    async query(sql, params) {
      const [result] = await pool.execute(sql, params as SqlParam[]);
      if (Array.isArray(result)) {
        return { rows: result as Array<Record<string, unknown>>, affected: 0 };
      }
      const header = result as { affectedRows?: number; insertId?: number };
      return { rows: [], affected: header.affectedRows ?? 0, insertId: header.insertId ?? 0 };
    },
  };
}
