/**
 * The SQL dialect an executor speaks. It picks the statements the store sends:
 * `$1` placeholders and `RETURNING` for PostgreSQL, `?` and
 * `ON DUPLICATE KEY UPDATE` for MySQL/MariaDB, `?` and `RETURNING` for SQLite.
 *
 * @example
 * ```ts
 * const dialect: SqlDialect = "postgres";
 * ```
 */
export type SqlDialect = "postgres" | "mysql" | "sqlite";

/**
 * A bound parameter. The store only ever sends strings, safe integers and
 * `null`; every piece of data travels as a parameter, never inside SQL text.
 *
 * @example
 * ```ts
 * const params: SqlParam[] = ["n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg", Date.now()];
 * ```
 */
export type SqlParam = string | number | null;

/**
 * What one statement returned.
 *
 * @example
 * ```ts
 * const result: SqlResult = { rows: [{ version: 2 }], affected: 1 };
 * ```
 */
export interface SqlResult {
  /** Result rows keyed by column name (empty for statements that return none). */
  rows: Array<Record<string, unknown>>;
  /** Rows inserted, updated or deleted by an `INSERT`, `UPDATE` or `DELETE`. */
  affected: number;
  /**
   * MySQL only: the OK packet's insert id. The store's MySQL upsert sets it
   * with `LAST_INSERT_ID(expr)` to learn the new version in the same statement.
   */
  insertId?: number;
}

/**
 * The tiny interface the store is written against: one method that runs one
 * statement with bound parameters on any connection of a pool. Bindings for
 * `pg`, `postgres`, `mysql2` and `better-sqlite3` ship with this package; any
 * other client needs about twenty lines.
 *
 * Every statement the store sends is atomic on its own, so `query` may use a
 * different pooled connection each time; the store never needs a transaction.
 *
 * @example
 * ```ts
 * // A binding for a hypothetical client with `run(sql, params) -> { rows, count }`:
 * const executor: SqlExecutor = {
 *   dialect: "postgres",
 *   async query(sql, params) {
 *     const { rows, count } = await client.run(sql, params);
 *     return { rows, affected: count };
 *   },
 * };
 * ```
 */
export interface SqlExecutor {
  /** Which statements to send. */
  readonly dialect: SqlDialect;
  /** Runs one statement; rejects with the client's own error on failure. */
  query(sql: string, params: readonly SqlParam[]): Promise<SqlResult>;
  /**
   * Optional: true when `error` means the database cannot be reached (the
   * store then rejects with `StoreUnavailableError`). Consulted in addition to
   * the built-in classification ({@link isUnavailableError}).
   */
  isUnavailable?(error: unknown): boolean;
}
