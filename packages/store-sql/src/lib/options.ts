import { MIN_VALUE_BYTES } from "@tessera/store";
import { integerOption, optionError } from "@tessera/store/driver";
import type { Dialect } from "../dialects/dialect.js";
import { mysqlDialect } from "../dialects/mysql.js";
import { postgresDialect } from "../dialects/postgres.js";
import { sqliteDialect } from "../dialects/sqlite.js";
import type { SqlDialect, SqlExecutor } from "../executor.js";
import { parseTableName } from "./identifier.js";

export const DEFAULT_TABLE = "tessera_sessions";
export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_MAX_VALUE_BYTES = 1_048_576;
// MEDIUMTEXT holds 2^24 - 1 bytes (MySQL 8.4 manual, 13.7 "String Type Storage Requirements").
const MYSQL_MAX_VALUE_BYTES = 16_777_215;

export function checkExecutor(executor: unknown): SqlExecutor {
  const candidate = executor as Partial<SqlExecutor> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.query !== "function"
  ) {
    throw optionError("executor", executor, "expected an object with a query(sql, params) method");
  }
  if (!["postgres", "mysql", "sqlite"].includes(candidate.dialect as string)) {
    throw optionError(
      "executor.dialect",
      candidate.dialect,
      'expected "postgres", "mysql" or "sqlite"',
    );
  }
  return candidate as SqlExecutor;
}

/** Seconds (fractions allowed) as milliseconds; 0 or undefined turns the feature off. */
export function secondsOption(name: string, value: unknown): number {
  if (value === undefined || value === 0) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0.001 || value > 2_147_483) {
    throw optionError(
      name,
      value,
      "expected a number of seconds from 0.001 to 2147483, or 0 for off",
    );
  }
  return Math.round(value * 1000);
}

export function maxValueBytesOption(value: unknown, dialect: SqlDialect): number {
  const max = dialect === "mysql" ? MYSQL_MAX_VALUE_BYTES : 1_073_741_823;
  return integerOption("maxValueBytes", value, DEFAULT_MAX_VALUE_BYTES, MIN_VALUE_BYTES, max);
}

export function buildDialect(dialect: SqlDialect, table: unknown, batchSize: number): Dialect {
  const name = parseTableName(table === undefined ? DEFAULT_TABLE : table, dialect);
  if (dialect === "postgres") return postgresDialect(name, batchSize);
  if (dialect === "mysql") return mysqlDialect(name, batchSize);
  return sqliteDialect(name, batchSize);
}
