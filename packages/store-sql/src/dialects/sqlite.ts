import { indexName, quote, quoteTable, type TableName } from "../lib/identifier.js";
import { type Dialect, identity, never } from "./dialect.js";

/**
 * SQLite (3.35+ for `RETURNING`; better-sqlite3 bundles a newer one). Text
 * compares with the BINARY collation by default: case-sensitive, as keys must be.
 * In an upsert's `DO UPDATE`, bare column names mean the existing row and
 * `excluded.` the proposed one.
 */
export function sqliteDialect(table: TableName, batchSize: number): Dialect {
  const t = quoteTable(table, "sqlite");
  const q = (name: string) => quote(name, "sqlite");
  const columns = `"key", "value", "expires_at", "user_id", "version"`;
  const insert = `INSERT INTO ${t} (${columns}) VALUES (?, ?, ?, ?, 1) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "expires_at" = excluded."expires_at", "user_id" = excluded."user_id"`;
  const sql = {
    get: `SELECT "value", "expires_at", "user_id", "version" FROM ${t} WHERE "key" = ? AND "expires_at" > ?`,
    upsert: `${insert}, "version" = CASE WHEN "expires_at" > ? THEN "version" + 1 ELSE 1 END RETURNING "version"`,
    update: `UPDATE ${t} SET "value" = ?, "expires_at" = ?, "user_id" = ?, "version" = "version" + 1 WHERE "key" = ? AND "version" = ? AND "expires_at" > ?`,
    create: `${insert}, "version" = 1 WHERE "expires_at" <= ?`,
    deleteExpired: `DELETE FROM ${t} WHERE "key" = ? AND "expires_at" <= ?`,
    liveVersion: `SELECT "version" FROM ${t} WHERE "key" = ? AND "expires_at" > ?`,
    deleteVersioned: `DELETE FROM ${t} WHERE "key" = ? AND "version" = ? AND "expires_at" > ?`,
    touch: `UPDATE ${t} SET "expires_at" = ? WHERE "key" = ? AND "expires_at" > ?`,
    delete: `DELETE FROM ${t} WHERE "key" = ?`,
    listByUser: `SELECT "key", "value", "expires_at", "user_id", "version" FROM ${t} WHERE "user_id" = ? AND "expires_at" > ?`,
    deleteByUser: `DELETE FROM ${t} WHERE "user_id" = ? AND "expires_at" > ? AND "key" <> ?`,
    prune: `DELETE FROM ${t} WHERE "key" IN (SELECT "key" FROM ${t} WHERE "expires_at" <= ? LIMIT ${batchSize})`,
  };
  return {
    ddl: [
      `CREATE TABLE IF NOT EXISTS ${t} ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL, "expires_at" INTEGER NOT NULL, "user_id" TEXT NULL, "version" INTEGER NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS ${q(indexName(table, "_expires_at_idx"))} ON ${t} ("expires_at")`,
      `CREATE INDEX IF NOT EXISTS ${q(indexName(table, "_user_id_idx"))} ON ${t} ("user_id")`,
    ],
    get: (key, now) => ({ sql: sql.get, params: [key, now] }),
    upsert: (key, value, expiresAt, userId, now) => ({
      sql: sql.upsert,
      params: [key, value, expiresAt, userId, now],
    }),
    upsertVersion: (result) => Number(result.rows[0]?.["version"]),
    update: (key, value, expiresAt, userId, version, now) => ({
      sql: sql.update,
      params: [value, expiresAt, userId, key, version, now],
    }),
    create: (key, value, expiresAt, userId, now) => ({
      sql: sql.create,
      params: [key, value, expiresAt, userId, now],
    }),
    createRetriesOnDuplicate: false,
    isDuplicateKey: never,
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
    // SQLite runs one writer at a time, so no row can be revived mid-statement.
    prune: (now) => ({ sql: sql.prune, params: [now] }),
    encode: identity,
    decode: identity,
  };
}
