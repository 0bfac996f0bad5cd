import { quoteTable, type TableName } from "../lib/identifier.js";
import { type Dialect, returningDialect, type Statements } from "./dialect.js";

/**
 * SQLite (3.35+ for `RETURNING`; better-sqlite3 bundles a newer one). Text
 * compares with the BINARY collation by default: case-sensitive, as keys must be.
 * In an upsert's `DO UPDATE`, bare column names mean the existing row and
 * `excluded.` the proposed one.
 */
export function sqliteDialect(table: TableName, batchSize: number): Dialect {
  const t = quoteTable(table, "sqlite");
  const columns = `"key", "value", "expires_at", "user_id", "version"`;
  const insert = `INSERT INTO ${t} (${columns}) VALUES (?, ?, ?, ?, 1) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "expires_at" = excluded."expires_at", "user_id" = excluded."user_id"`;
  const sql: Statements = {
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
    // SQLite runs one writer at a time, so no row can be revived mid-statement.
    prune: `DELETE FROM ${t} WHERE "key" IN (SELECT "key" FROM ${t} WHERE "expires_at" <= ? LIMIT ${batchSize})`,
  };
  return returningDialect(
    "sqlite",
    table,
    `CREATE TABLE IF NOT EXISTS ${t} ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL, "expires_at" INTEGER NOT NULL, "user_id" TEXT NULL, "version" INTEGER NOT NULL)`,
    sql,
  );
}
