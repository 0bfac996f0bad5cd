import { quoteTable, type TableName } from "../lib/identifier.js";
import { decodePgText, encodePgText } from "../lib/pg-text.js";
import { type Dialect, returningDialect, type Statements } from "./dialect.js";

/**
 * PostgreSQL (9.5+ for `ON CONFLICT`). Keys use the "C" collation: byte-wise,
 * case-sensitive and the cheapest to compare; keys are ASCII anyway.
 */
export function postgresDialect(table: TableName, batchSize: number): Dialect {
  const t = quoteTable(table, "postgres");
  const columns = `"key", "value", "expires_at", "user_id", "version"`;
  const insert = `INSERT INTO ${t} AS cur (${columns}) VALUES ($1, $2, $3, $4, 1) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "expires_at" = EXCLUDED."expires_at", "user_id" = EXCLUDED."user_id"`;
  const sql: Statements = {
    get: `SELECT "value", "expires_at", "user_id", "version" FROM ${t} WHERE "key" = $1 AND "expires_at" > $2`,
    // An expired row counts as absent, so writing over it starts again at version 1.
    upsert: `${insert}, "version" = CASE WHEN cur."expires_at" > $5 THEN cur."version" + 1 ELSE 1 END RETURNING "version"`,
    update: `UPDATE ${t} SET "value" = $1, "expires_at" = $2, "user_id" = $3, "version" = "version" + 1 WHERE "key" = $4 AND "version" = $5 AND "expires_at" > $6`,
    // The conflicting row is replaced only when it has expired; ON CONFLICT
    // makes concurrent creators wait for each other, so exactly one wins.
    create: `${insert}, "version" = 1 WHERE cur."expires_at" <= $5`,
    deleteExpired: `DELETE FROM ${t} WHERE "key" = $1 AND "expires_at" <= $2`,
    liveVersion: `SELECT "version" FROM ${t} WHERE "key" = $1 AND "expires_at" > $2`,
    deleteVersioned: `DELETE FROM ${t} WHERE "key" = $1 AND "version" = $2 AND "expires_at" > $3`,
    touch: `UPDATE ${t} SET "expires_at" = $1 WHERE "key" = $2 AND "expires_at" > $3`,
    delete: `DELETE FROM ${t} WHERE "key" = $1`,
    listByUser: `SELECT "key", "value", "expires_at", "user_id", "version" FROM ${t} WHERE "user_id" = $1 AND "expires_at" > $2`,
    deleteByUser: `DELETE FROM ${t} WHERE "user_id" = $1 AND "expires_at" > $2 AND "key" <> $3`,
    // The outer condition is re-checked on rows revived by a concurrent write
    // (READ COMMITTED re-evaluates it), so a pruner never deletes a live row;
    // SKIP LOCKED lets several app instances prune side by side.
    prune: `DELETE FROM ${t} WHERE "key" IN (SELECT "key" FROM ${t} WHERE "expires_at" <= $1 LIMIT ${batchSize} FOR UPDATE SKIP LOCKED) AND "expires_at" <= $1`,
  };
  return returningDialect(
    "postgres",
    table,
    `CREATE TABLE IF NOT EXISTS ${t} ("key" VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY, "value" TEXT NOT NULL, "expires_at" BIGINT NOT NULL, "user_id" TEXT NULL, "version" INTEGER NOT NULL)`,
    sql,
    // PostgreSQL cannot store U+0000 in TEXT.
    { encode: encodePgText, decode: decodePgText },
  );
}
