import type { SqlDialect } from "./executor.js";
import { buildDialect, checkExecutor, DEFAULT_BATCH_SIZE } from "./lib/options.js";

/**
 * Options of {@link schemaStatements}.
 *
 * @example
 * ```ts
 * const options: SchemaOptions = { table: "auth.sessions" };
 * ```
 */
export interface SchemaOptions {
  /**
   * Table name: `/^[A-Za-z_][A-Za-z0-9_]{0,62}$/`, or `schema.table` on
   * PostgreSQL (the schema must exist). Quoted in SQL, so case is kept.
   * @default "tessera_sessions"
   */
  table?: string;
}

/**
 * The DDL that `SqlStore#migrate()` runs, for a dialect: the table (primary
 * key on `key`; columns `value`, `expires_at` as epoch milliseconds,
 * `user_id`, `version`) and indexes on `expires_at` and `user_id`, each
 * statement idempotent (`IF NOT EXISTS`). Use it to review the schema or put
 * it into your own migration tool. Throws `ERR_STORE_INVALID_OPTION` for a bad table name.
 *
 * @example
 * ```ts
 * for (const statement of schemaStatements("postgres", { table: "sessions" })) console.log(`${statement};`);
 * // CREATE TABLE IF NOT EXISTS "sessions" ("key" VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY, ...
 * ```
 */
export function schemaStatements(dialect: SqlDialect, options: SchemaOptions = {}): string[] {
  checkExecutor({ dialect, query: () => undefined });
  return [...buildDialect(dialect, options.table, DEFAULT_BATCH_SIZE).ddl];
}
