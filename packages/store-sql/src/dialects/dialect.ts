import type { SqlParam, SqlResult } from "../executor.js";

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

export function never(): boolean {
  return false;
}
