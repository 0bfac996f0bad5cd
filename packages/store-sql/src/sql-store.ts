import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "@tessera/store";
import { StoreClosedError, StoreError, StoreUnavailableError } from "@tessera/store";
import { backendCall, CheckedStore, clockOption, integerOption } from "@tessera/store/driver";
import type { Dialect, Query } from "./dialects/dialect.js";
import type { SqlDialect, SqlExecutor, SqlResult } from "./executor.js";
import { isUnavailableError } from "./is-unavailable-error.js";
import {
  buildDialect,
  checkExecutor,
  DEFAULT_BATCH_SIZE,
  maxValueBytesOption,
  secondsOption,
} from "./lib/options.js";
import { readEntry } from "./lib/rows.js";

/**
 * Options of {@link SqlStore}. Durations are seconds; instants are epoch milliseconds.
 *
 * @example
 * ```ts
 * const options: SqlStoreOptions = { table: "sessions", pruneInterval: 600, queryTimeout: 2 };
 * ```
 */
export interface SqlStoreOptions {
  /**
   * Table name: `/^[A-Za-z_][A-Za-z0-9_]{0,62}$/`, or `schema.table` on
   * PostgreSQL. Anything else throws `ERR_STORE_INVALID_OPTION` at
   * construction: identifiers cannot be bound parameters.
   * @default "tessera_sessions"
   */
  table?: string;
  /**
   * Largest accepted value in UTF-8 bytes (at least 65,536, the contract's
   * minimum; at most 16,777,215 on MySQL, the size of MEDIUMTEXT).
   * @default 1048576
   */
  maxValueBytes?: number;
  /**
   * Seconds between background {@link SqlStore.prune} runs; 0 turns the pruner off.
   * The timer is unref'd (it never keeps the process alive) and stops on `close()`.
   * @default 0
   */
  pruneInterval?: number;
  /**
   * Most rows one prune statement deletes; `prune()` repeats it until a
   * batch comes back short, so locks stay short on a large backlog.
   * @default 1000
   */
  pruneBatchSize?: number;
  /**
   * Seconds a statement may take before the call rejects with
   * `StoreUnavailableError`; 0 for no limit. The statement itself is not
   * cancelled (a write may still land): also set the server's own limit
   * (PostgreSQL `statement_timeout`, MySQL `max_execution_time`).
   * @default 0
   */
  queryTimeout?: number;
  /**
   * The clock, in epoch milliseconds. Expiry is compared with this value
   * (sent as a parameter), never with the database's clock, so the store
   * agrees with the session manager about what has expired.
   * @default Date.now
   */
  now?: () => number;
  /** Called with the error when a background prune fails (libraries do not log). */
  onPruneError?: (error: StoreError) => void;
}

/**
 * A `SessionStore` on PostgreSQL, MySQL/MariaDB or SQLite, written against a
 * {@link SqlExecutor} (use {@link pgExecutor}, {@link postgresJsExecutor},
 * {@link mysql2Executor} or {@link betterSqlite3Executor}). It never opens or
 * closes connections: `close()` only stops the pruner; end your client yourself.
 *
 * One statement per operation, each atomic on its own: native upserts,
 * compare-and-set on a `version` column, reads filtered by `expires_at > now`.
 * Backend outages reject with `StoreUnavailableError`; other database errors
 * with a `StoreError` coded `ERR_STORE_BACKEND`; both keep the driver error as `cause`.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { SqlStore, pgExecutor } from "@tessera/store-sql";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = new SqlStore(pgExecutor(pool), { pruneInterval: 600 });
 * await store.migrate();
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 3_600_000 }, { expectVersion: 0 });
 * ```
 */
export class SqlStore extends CheckedStore {
  /** The executor's dialect. */
  readonly dialect: SqlDialect;
  readonly #executor: SqlExecutor;
  readonly #sql: Dialect;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #onPruneError: ((error: StoreError) => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pruning = false;

  constructor(executor: SqlExecutor, options: SqlStoreOptions = {}) {
    const checked = checkExecutor(executor);
    const batchSize = integerOption(
      "pruneBatchSize",
      options.pruneBatchSize,
      DEFAULT_BATCH_SIZE,
      1,
      100_000,
    );
    const sql = buildDialect(checked.dialect, options.table, batchSize);
    super(maxValueBytesOption(options.maxValueBytes, checked.dialect));
    this.#executor = checked;
    this.dialect = checked.dialect;
    this.#batchSize = batchSize;
    this.#sql = sql;
    this.#timeoutMs = secondsOption("queryTimeout", options.queryTimeout);
    this.#now = clockOption(options.now);
    this.#onPruneError = options.onPruneError;
    const interval = secondsOption("pruneInterval", options.pruneInterval);
    if (interval > 0) {
      this.#timer = setInterval(() => void this.#backgroundPrune(), interval);
      // A pruner must never keep a process alive that is otherwise done.
      this.#timer.unref?.();
    }
  }

  /**
   * Creates the table and its indexes if they do not exist (see
   * {@link schemaStatements}). Safe to run on every start.
   *
   * @example
   * ```ts
   * await store.migrate();
   * ```
   */
  async migrate(): Promise<void> {
    for (const sql of this.#sql.ddl) await this.#run({ sql, params: [] });
  }

  /** {@inheritDoc @tessera/store#SessionStore.get} */
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const { rows } = await this.#run(this.#sql.get(key, this.#now()));
    const row = rows[0];
    return row === undefined ? null : readEntry(row, this.#sql.decode);
  }

  /** {@inheritDoc @tessera/store#SessionStore.set} */
  protected override async setEntry(
    key: string,
    entry: StoreEntryInput,
    expected: number | undefined,
  ): Promise<SetResult> {
    const sql = this.#sql;
    const now = this.#now();
    if (entry.expiresAt <= now) return this.#deleteByExpiry(key, expected, now);
    const value = sql.encode(entry.value);
    const userId = entry.userId === undefined ? null : sql.encode(entry.userId);
    if (expected === undefined) {
      const result = await this.#run(sql.upsert(key, value, entry.expiresAt, userId, now));
      const version = sql.upsertVersion(result);
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new StoreError("ERR_STORE_BACKEND", `upsert returned no version for ${this.dialect}`);
      }
      return { ok: true, version };
    }
    if (expected === 0) return this.#create(key, value, entry.expiresAt, userId, now);
    const { affected } = await this.#run(
      sql.update(key, value, entry.expiresAt, userId, expected, now),
    );
    // WHERE version = expected matched, so the row now holds expected + 1.
    return affected > 0 ? { ok: true, version: expected + 1 } : { ok: false, conflict: true };
  }

  /** {@inheritDoc @tessera/store#SessionStore.touch} */
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    const now = this.#now();
    await this.#run(
      expiresAt <= now ? this.#sql.delete(key) : this.#sql.touch(key, expiresAt, now),
    );
  }

  /** {@inheritDoc @tessera/store#SessionStore.delete} */
  protected override async deleteEntry(key: string): Promise<void> {
    await this.#run(this.#sql.delete(key));
  }

  /** {@inheritDoc @tessera/store#UserIndex.listByUser} */
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    const sql = this.#sql;
    const { rows } = await this.#run(sql.listByUser(sql.encode(userId), this.#now()));
    return rows.map((row) => ({ key: String(row["key"]), entry: readEntry(row, sql.decode) }));
  }

  /** {@inheritDoc @tessera/store#UserIndex.deleteByUser} */
  protected override async deleteUserEntries(
    userId: string,
    except: string | undefined,
  ): Promise<number> {
    const sql = this.#sql;
    const query = sql.deleteByUser(sql.encode(userId), except ?? "", this.#now());
    const { affected } = await this.#run(query);
    return affected;
  }

  /**
   * Deletes expired rows in batches of `pruneBatchSize` until a batch comes
   * back short; resolves to the number deleted. Reads already ignore expired
   * rows, so pruning only reclaims space; run it from a job or set `pruneInterval`.
   *
   * @example
   * ```ts
   * const removed = await store.prune();
   * ```
   */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const { affected } = await this.#run(this.#sql.prune(this.#now()));
      total += affected;
      if (affected < this.#batchSize || this.closed) return total;
    }
  }

  /**
   * On `close()`: stops the background pruner. Does NOT end the database
   * client: it is yours (`await store.close(); await pool.end();`).
   */
  protected override release(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #backgroundPrune(): Promise<void> {
    if (this.#pruning || this.closed) return;
    this.#pruning = true;
    try {
      await this.prune();
    } catch (error) {
      if (!StoreClosedError.isInstance(error)) {
        this.#onPruneError?.(
          StoreError.isInstance(error)
            ? error
            : new StoreError("ERR_STORE_BACKEND", "prune failed", { cause: error }),
        );
      }
    } finally {
      this.#pruning = false;
    }
  }

  async #deleteByExpiry(
    key: string,
    expected: number | undefined,
    now: number,
  ): Promise<SetResult> {
    const sql = this.#sql;
    // The version check comes first: a stale writer must not delete a live entry.
    if (expected === undefined) {
      await this.#run(sql.delete(key));
      return { ok: true, version: 0 };
    }
    if (expected === 0) {
      const { rows } = await this.#run(sql.liveVersion(key, now));
      return rows.length > 0 ? { ok: false, conflict: true } : { ok: true, version: 0 };
    }
    const { affected } = await this.#run(sql.deleteVersioned(key, expected, now));
    return affected > 0 ? { ok: true, version: 0 } : { ok: false, conflict: true };
  }

  async #create(
    key: string,
    value: string,
    expiresAt: number,
    userId: string | null,
    now: number,
  ): Promise<SetResult> {
    const sql = this.#sql;
    const query = sql.create(key, value, expiresAt, userId, now);
    if (!sql.createRetriesOnDuplicate) {
      const { affected } = await this.#run(query);
      return affected > 0 ? { ok: true, version: 1 } : { ok: false, conflict: true };
    }
    // Plain INSERT: a duplicate key is either a live entry (conflict) or an
    // expired one, which counts as absent: remove it and try once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.#run(query);
        return { ok: true, version: 1 };
      } catch (error) {
        if (!(StoreError.isInstance(error) && sql.isDuplicateKey(error.cause))) throw error;
      }
      if (attempt === 0 && (await this.#run(sql.deleteExpired(key, now))).affected === 0) break;
    }
    return { ok: false, conflict: true };
  }

  async #run(query: Query): Promise<SqlResult> {
    // migrate and prune too; a prune loop stops at its next statement once closed.
    this.assertOpen();
    return backendCall(
      "session store query",
      this.#timeoutMs,
      () => this.#executor.query(query.sql, query.params),
      (error) => this.#wrap(error),
    );
  }

  #wrap(error: unknown): StoreError {
    if (isUnavailableError(error) || this.#executor.isUnavailable?.(error) === true) {
      return new StoreUnavailableError(`${this.dialect} session store unavailable`, {
        cause: error,
      });
    }
    return new StoreError("ERR_STORE_BACKEND", `${this.dialect} session store query failed`, {
      cause: error,
    });
  }
}
