import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * The part of a postgres.js `sql` instance the binding uses.
 *
 * @example
 * ```ts
 * const queryable: PostgresJsQueryable = postgres(process.env.DATABASE_URL!);
 * ```
 */
export interface PostgresJsQueryable {
  unsafe(
    query: string,
    parameters: SqlParam[],
    options: { prepare: boolean },
  ): PromiseLike<ArrayLike<object> & { count: number | null }>;
}

/**
 * Options of {@link postgresJsExecutor}.
 *
 * @example
 * ```ts
 * postgresJsExecutor(sql, { prepare: false });
 * ```
 */
export interface PostgresJsExecutorOptions {
  /**
   * Use named prepared statements (postgres.js `unsafe(..., { prepare: true })`).
   * @default true
   */
  prepare?: boolean;
}

/**
 * Binds postgres.js (`postgres`). Statements go through `sql.unsafe` with
 * their parameters bound; postgres.js reconnects by itself after an outage.
 *
 * @example
 * ```ts
 * import postgres from "postgres";
 * const sql = postgres(process.env.DATABASE_URL!);
 * const store = new SqlStore(postgresJsExecutor(sql));
 * ```
 */
export function postgresJsExecutor(
  sql: PostgresJsQueryable,
  options: PostgresJsExecutorOptions = {},
): SqlExecutor {
  const prepare = options.prepare !== false;
  return {
    dialect: "postgres",
    async query(text, params) {
      const result = await sql.unsafe(text, params as SqlParam[], { prepare });
      return {
        rows: Array.from(result) as Array<Record<string, unknown>>,
        affected: result.count ?? 0,
      };
    },
  };
}
