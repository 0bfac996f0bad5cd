import { objectOption } from "@tessera/store/driver";
import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * What a D1 statement resolves to (`D1Result`): the part the binding reads.
 *
 * @example
 * ```ts
 * const result: D1ResultLike = { results: [{ version: 2 }], meta: { changes: 1 } };
 * ```
 */
export interface D1ResultLike {
  /** Result rows keyed by column name. */
  results?: unknown[];
  /** Statement metadata; `changes` counts the rows written. */
  meta?: { changes?: number };
}

/**
 * A D1 prepared statement (`D1PreparedStatement`): the part the binding uses.
 *
 * @example
 * ```ts
 * const statement: D1PreparedStatementLike = env.DB.prepare("SELECT 1 AS one");
 * ```
 */
export interface D1PreparedStatementLike {
  /** A copy of the statement with these parameters bound to its `?` placeholders. */
  bind(...values: SqlParam[]): D1PreparedStatementLike;
  /** Runs the statement and resolves to its rows and metadata. */
  all(): Promise<D1ResultLike>;
}

/**
 * A Cloudflare D1 database binding (`D1Database`, `env.DB` in a Worker), or a
 * D1 session of one (`env.DB.withSession()`): the part the binding uses.
 *
 * @example
 * ```ts
 * const db: D1DatabaseLike = env.DB;
 * ```
 */
export interface D1DatabaseLike {
  /** Prepares one statement. */
  prepare(sql: string): D1PreparedStatementLike;
}

// D1 errors that are answers, not outages: SQLite refused the statement (a
// missing table: run the migration; a constraint; a value too big) or D1
// refused a parameter. Everything else (a lost network connection, an
// overloaded or reset database, a timeout) means D1 cannot serve the call now.
// https://developers.cloudflare.com/d1/observability/debug-d1/#error-list
const ANSWERED =
  /\bSQLITE_(?:ERROR|CONSTRAINT|MISMATCH|RANGE|TOOBIG|SCHEMA|AUTH|NOTADB|CORRUPT)\b|\bD1_(?:TYPE_ERROR|COLUMN_NOTFOUND)\b/;

function isD1Unavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && !ANSWERED.test(message);
}

/**
 * Binds Cloudflare D1 (`env.DB` in a Worker, or `env.DB.withSession()` for
 * read replication) on the SQLite dialect: each statement is
 * `db.prepare(sql).bind(...params).all()`, one D1 query, every value a bound
 * parameter. Apply the schema with a `wrangler d1 migrations` file (see the
 * README) rather than `store.migrate()` on every start. A D1 failure that is
 * not an SQL error (lost connection, overloaded or reset database) is an
 * outage: the store rejects with `StoreUnavailableError`. This module imports
 * nothing from Cloudflare; the types are structural.
 *
 * @example
 * ```ts
 * import { SqlStore, d1Executor } from "@tessera/store-sql";
 *
 * export default {
 *   async fetch(request: Request, env: { DB: D1DatabaseLike }) {
 *     const store = new SqlStore(d1Executor(env.DB));
 *     // ...
 *   },
 * };
 * ```
 */
export function d1Executor(db: D1DatabaseLike): SqlExecutor {
  objectOption("d1Executor(db)", db, ["prepare"], "expected a D1 database binding (env.DB)");
  return {
    dialect: "sqlite",
    async query(sql, params) {
      const statement = db.prepare(sql);
      const result = await (params.length > 0 ? statement.bind(...params) : statement).all();
      const rows = (result.results ?? []) as Array<Record<string, unknown>>;
      return { rows, affected: result.meta?.changes ?? 0 };
    },
    isUnavailable: isD1Unavailable,
  };
}
