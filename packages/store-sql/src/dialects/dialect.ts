import type { SqlParam, SqlResult } from "../executor.js";
import { indexName, quote, quoteTable, type TableName } from "../lib/identifier.js";

/** One statement and its bound parameters. */
export interface Query {
  sql: string;
  params: SqlParam[];
}

/**
 * Everything dialect-specific, built once per store from the validated table
 * name. Parameters are always bound; only identifiers (validated, quoted) and
 * the integer batch size are part of the SQL text.
 */
export interface Dialect {
  /** `CREATE TABLE` / `CREATE INDEX`, each idempotent. */
  ddl: string[];
  /** The live entry: columns value, expires_at, user_id, version. */
  get(key: string, now: number): Query;
  /** Unconditional upsert; an expired row is replaced as if absent (version 1). */
  upsert(key: string, value: string, expiresAt: number, userId: string | null, now: number): Query;
  /** The new version after {@link upsert}. */
  upsertVersion(result: SqlResult): number;
  /** Compare-and-set on `version`; affects 1 row on success (the new version is `version + 1`). */
  update(
    key: string,
    value: string,
    expiresAt: number,
    userId: string | null,
    version: number,
    now: number,
  ): Query;
  /**
   * Create only, an expired row counting as absent. With `createRetriesOnDuplicate`
   * false it affects 1 row when it wrote and 0 on conflict; with true it is a
   * plain INSERT that fails with a duplicate-key error on an existing row.
   */
  create(key: string, value: string, expiresAt: number, userId: string | null, now: number): Query;
  /** See {@link create}. */
  createRetriesOnDuplicate: boolean;
  /** True for the client error of a duplicate primary key. */
  isDuplicateKey(error: unknown): boolean;
  /** Deletes the row only if it has expired. */
  deleteExpired(key: string, now: number): Query;
  /** Column `version` of the live row, if any. */
  liveVersion(key: string, now: number): Query;
  /** Deletes the live row at `version`; affects 1 row on success. */
  deleteVersioned(key: string, version: number, now: number): Query;
  /** Moves the expiry of the live row. */
  touch(key: string, expiresAt: number, now: number): Query;
  delete(key: string): Query;
  /** Live rows of a user: columns key, value, expires_at, user_id, version. */
  listByUser(userId: string, now: number): Query;
  /** Deletes a user's live rows except `exceptKey` ("" keeps none: keys are never empty). */
  deleteByUser(userId: string, exceptKey: string, now: number): Query;
  /** Deletes at most the batch size of expired rows. */
  prune(now: number): Query;
  /** Maps text to its stored form and back (PostgreSQL cannot store U+0000). */
  encode(text: string): string;
  decode(text: string): string;
}

export function identity(text: string): string {
  return text;
}

function never(): boolean {
  return false;
}

/**
 * The SQL text of the statements every dialect has. Each takes its parameters
 * in one order, the same in every dialect, so {@link bindStatements} builds
 * their queries once: `get`, `liveVersion`, `deleteExpired` (key, now);
 * `upsert`, `create` (key, value, expiresAt, userId, now); `update` (value,
 * expiresAt, userId, key, version, now); `deleteVersioned` (key, version,
 * now); `touch` (expiresAt, key, now); `delete` (key); `listByUser` (userId,
 * now); `deleteByUser` (userId, now, exceptKey); `prune` (now).
 */
export interface Statements {
  get: string;
  upsert: string;
  update: string;
  create: string;
  deleteExpired: string;
  liveVersion: string;
  deleteVersioned: string;
  touch: string;
  delete: string;
  listByUser: string;
  deleteByUser: string;
  prune: string;
}

/** The query builders of {@link Statements}, parameters in their common order. */
export function bindStatements(sql: Statements): Pick<Dialect, keyof Statements> {
  return {
    get: (key, now) => ({ sql: sql.get, params: [key, now] }),
    upsert: (key, value, expiresAt, userId, now) => ({
      sql: sql.upsert,
      params: [key, value, expiresAt, userId, now],
    }),
    update: (key, value, expiresAt, userId, version, now) => ({
      sql: sql.update,
      params: [value, expiresAt, userId, key, version, now],
    }),
    create: (key, value, expiresAt, userId, now) => ({
      sql: sql.create,
      params: [key, value, expiresAt, userId, now],
    }),
    deleteExpired: (key, now) => ({ sql: sql.deleteExpired, params: [key, now] }),
    liveVersion: (key, now) => ({ sql: sql.liveVersion, params: [key, now] }),
    deleteVersioned: (key, version, now) => ({
      sql: sql.deleteVersioned,
      params: [key, version, now],
    }),
    touch: (key, expiresAt, now) => ({ sql: sql.touch, params: [expiresAt, key, now] }),
    delete: (key) => ({ sql: sql.delete, params: [key] }),
    listByUser: (userId, now) => ({ sql: sql.listByUser, params: [userId, now] }),
    deleteByUser: (userId, exceptKey, now) => ({
      sql: sql.deleteByUser,
      params: [userId, now, exceptKey],
    }),
    prune: (now) => ({ sql: sql.prune, params: [now] }),
  };
}

/**
 * The rest of a dialect whose upsert reports the new version with
 * `RETURNING` and whose create-only insert never fails on a duplicate
 * (`ON CONFLICT ... WHERE`): PostgreSQL and SQLite. Its DDL is `createTable`
 * and `CREATE INDEX IF NOT EXISTS` on expires_at (pruning) and user_id (the
 * user index); `text` maps text to its stored form and back.
 */
export function returningDialect(
  dialect: "postgres" | "sqlite",
  table: TableName,
  createTable: string,
  sql: Statements,
  text: Pick<Dialect, "encode" | "decode"> = { encode: identity, decode: identity },
): Dialect {
  const quoted = quoteTable(table, dialect);
  const index = (suffix: string, column: string) =>
    `CREATE INDEX IF NOT EXISTS ${quote(indexName(table, suffix), dialect)} ON ${quoted} ("${column}")`;
  return {
    ddl: [createTable, index("_expires_at_idx", "expires_at"), index("_user_id_idx", "user_id")],
    ...bindStatements(sql),
    upsertVersion: (result) => Number(result.rows[0]?.["version"]),
    createRetriesOnDuplicate: false,
    isDuplicateKey: never,
    encode: text.encode,
    decode: text.decode,
  };
}
