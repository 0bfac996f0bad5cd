import { indexName, quote, quoteTable, type TableName } from "../lib/identifier.js";
import { bindStatements, type Dialect, identity, type Statements } from "./dialect.js";

// `key` is a reserved word in MySQL, hence the backticks throughout.
// user_id lookups add a byte-wise comparison: utf8mb4_bin is a PAD SPACE
// collation, under which "u1" = "u1 " and one user could reach another's sessions.
const SAME_USER = "`user_id` = ? AND CAST(`user_id` AS BINARY) = CAST(? AS BINARY)";

/**
 * MySQL 5.7+ / MariaDB 10.3+. Keys are ASCII with a binary collation
 * (case-sensitive); value and user_id are utf8mb4 (emoji and every other
 * code point survive) with binary collations; value is MEDIUMTEXT (16 MiB).
 */
export function mysqlDialect(table: TableName, batchSize: number): Dialect {
  const t = quoteTable(table, "mysql");
  const q = (name: string) => quote(name, "mysql");
  const columns = "`key`, `value`, `expires_at`, `user_id`, `version`";
  const sql: Statements = {
    get: `SELECT \`value\`, \`expires_at\`, \`user_id\`, \`version\` FROM ${t} WHERE \`key\` = ? AND \`expires_at\` > ?`,
    // MySQL has no RETURNING. LAST_INSERT_ID(expr) stores the new version in
    // the statement's own OK packet (insertId), so the upsert stays one atomic
    // statement. version is assigned first: ON DUPLICATE KEY UPDATE evaluates
    // left to right and later assignments would see the new expires_at.
    upsert: `INSERT INTO ${t} (${columns}) VALUES (?, ?, ?, ?, 1) ON DUPLICATE KEY UPDATE \`version\` = LAST_INSERT_ID(IF(\`expires_at\` > ?, \`version\` + 1, 1)), \`value\` = VALUES(\`value\`), \`expires_at\` = VALUES(\`expires_at\`), \`user_id\` = VALUES(\`user_id\`)`,
    update: `UPDATE ${t} SET \`value\` = ?, \`expires_at\` = ?, \`user_id\` = ?, \`version\` = \`version\` + 1 WHERE \`key\` = ? AND \`version\` = ? AND \`expires_at\` > ?`,
    // Create-only is a plain INSERT: a duplicate-key error is the conflict
    // (after removing an expired row and trying once more). Affected-row
    // counts of ON DUPLICATE KEY UPDATE depend on the client's FOUND_ROWS
    // flag and cannot tell "inserted" from "left alone".
    create: `INSERT INTO ${t} (${columns}) VALUES (?, ?, ?, ?, 1)`,
    deleteExpired: `DELETE FROM ${t} WHERE \`key\` = ? AND \`expires_at\` <= ?`,
    liveVersion: `SELECT \`version\` FROM ${t} WHERE \`key\` = ? AND \`expires_at\` > ?`,
    deleteVersioned: `DELETE FROM ${t} WHERE \`key\` = ? AND \`version\` = ? AND \`expires_at\` > ?`,
    touch: `UPDATE ${t} SET \`expires_at\` = ? WHERE \`key\` = ? AND \`expires_at\` > ?`,
    delete: `DELETE FROM ${t} WHERE \`key\` = ?`,
    listByUser: `SELECT \`key\`, \`value\`, \`expires_at\`, \`user_id\`, \`version\` FROM ${t} WHERE ${SAME_USER} AND \`expires_at\` > ?`,
    deleteByUser: `DELETE FROM ${t} WHERE ${SAME_USER} AND \`expires_at\` > ? AND \`key\` <> ?`,
    // DELETE ... LIMIT is single-table MySQL syntax; the batch size is a
    // validated integer (prepared-statement LIMIT parameters are not portable).
    prune: `DELETE FROM ${t} WHERE \`expires_at\` <= ? LIMIT ${batchSize}`,
  };
  return {
    ddl: [
      `CREATE TABLE IF NOT EXISTS ${t} (\`key\` VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, \`value\` MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, \`expires_at\` BIGINT NOT NULL, \`user_id\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, \`version\` INT NOT NULL, PRIMARY KEY (\`key\`), KEY ${q(indexName(table, "_expires_at_idx"))} (\`expires_at\`), KEY ${q(indexName(table, "_user_id_idx"))} (\`user_id\`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ],
    ...bindStatements(sql),
    // insertId is 0 when the row was inserted (LAST_INSERT_ID(expr) never ran).
    upsertVersion: (result) => (result.insertId ? Number(result.insertId) : 1),
    // A plain INSERT (see sql.create): no `now` parameter.
    create: (key, value, expiresAt, userId) => ({
      sql: sql.create,
      params: [key, value, expiresAt, userId],
    }),
    createRetriesOnDuplicate: true,
    isDuplicateKey: (error) => {
      const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
      return code === "ER_DUP_ENTRY" || errno === 1062;
    },
    // SAME_USER binds the user id twice.
    listByUser: (userId, now) => ({ sql: sql.listByUser, params: [userId, userId, now] }),
    deleteByUser: (userId, exceptKey, now) => ({
      sql: sql.deleteByUser,
      params: [userId, userId, now, exceptKey],
    }),
    encode: identity,
    decode: identity,
  };
}
