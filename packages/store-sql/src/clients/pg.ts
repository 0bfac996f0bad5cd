import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * The part of a `pg` `Pool`, `Client` or `PoolClient` the binding uses.
 *
 * @example
 * ```ts
 * const queryable: PgQueryable = new pg.Pool();
 * ```
 */
export interface PgQueryable {
  query(config: { text: string; values: SqlParam[]; name?: string }): Promise<{
    rows: Array<Record<string, unknown>>;
    rowCount: number | null;
  }>;
}

/**
 * Options of {@link pgExecutor}.
 *
 * @example
 * ```ts
 * pgExecutor(pool, { prepare: false }); // behind PgBouncer < 1.21 in transaction mode
 * ```
 */
export interface PgExecutorOptions {
  /**
   * Send named (prepared) statements, parsed once per connection.
   * @default true
   */
  prepare?: boolean;
}

// One name per distinct statement text across the process: pg rejects a name
// reused with different text on the same connection.
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `tessera_store_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Binds node-postgres (`pg`): pass a `Pool` (recommended; it reconnects after
 * an outage), a `Client` or a checked-out `PoolClient`. Attach
 * `pool.on("error", ...)`: pg emits idle clients' connection errors there and
 * an unhandled `error` event ends the process.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * pool.on("error", () => {}); // the store reports outages per call
 * const store = new SqlStore(pgExecutor(pool));
 * ```
 */
export function pgExecutor(client: PgQueryable, options: PgExecutorOptions = {}): SqlExecutor {
  const prepare = options.prepare !== false;
  // A single Client runs one query at a time (pg 8 queues concurrent calls
  // with a deprecation warning, pg 9 will reject them): queue them here.
  // A Pool (it counts its clients) runs them side by side.
  const single = !("totalCount" in client);
  let tail: Promise<unknown> = Promise.resolve();
  return {
    dialect: "postgres",
    async query(text, params) {
      const values = params as SqlParam[];
      const config = prepare ? { text, values, name: nameOf(text) } : { text, values };
      let pending: ReturnType<PgQueryable["query"]>;
      if (single) {
        pending = tail.then(() => client.query(config));
        tail = pending.catch(() => undefined);
      } else {
        pending = client.query(config);
      }
      const result = await pending;
      return { rows: result.rows, affected: result.rowCount ?? 0 };
    },
  };
}
