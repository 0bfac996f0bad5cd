import { StoreError } from "@tessera/store";
import type { SqlDialect } from "../executor.js";

// An unquoted SQL identifier (ISO 9075 <regular identifier>, ASCII subset):
// a letter or underscore, then letters, digits and underscores. 63 characters
// is PostgreSQL's NAMEDATALEN - 1 (longer names are silently truncated) and
// fits MySQL's 64-character limit. Identifiers cannot be bound parameters, so
// this pattern is the injection defence; quoting below
// additionally keeps reserved words and case intact.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A validated table name, split into its optional schema and its name. */
export interface TableName {
  schema: string | undefined;
  name: string;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Validates the `table` option: an identifier, or `schema.table` on PostgreSQL.
 * Throws `ERR_STORE_INVALID_OPTION` naming the option and the bad value.
 */
export function parseTableName(table: unknown, dialect: SqlDialect): TableName {
  if (typeof table === "string") {
    const parts = table.split(".");
    if (parts.every((part) => IDENTIFIER.test(part))) {
      if (parts.length === 1) return { schema: undefined, name: parts[0]! };
      if (parts.length === 2 && dialect === "postgres") {
        return { schema: parts[0]!, name: parts[1]! };
      }
    }
  }
  const shape =
    dialect === "postgres"
      ? "an identifier matching /^[A-Za-z_][A-Za-z0-9_]{0,62}$/, optionally schema-qualified"
      : "an identifier matching /^[A-Za-z_][A-Za-z0-9_]{0,62}$/";
  throw new StoreError(
    "ERR_STORE_INVALID_OPTION",
    `option table is invalid: ${show(table)} (expected ${shape})`,
  );
}

/** Quotes a validated identifier for the dialect (it contains no quote characters). */
export function quote(identifier: string, dialect: SqlDialect): string {
  return dialect === "mysql" ? `\`${identifier}\`` : `"${identifier}"`;
}

/** The quoted, possibly schema-qualified table reference. */
export function quoteTable(table: TableName, dialect: SqlDialect): string {
  const name = quote(table.name, dialect);
  return table.schema === undefined ? name : `${quote(table.schema, dialect)}.${name}`;
}

/**
 * An index name derived from the table name, cut so that it stays within 63
 * characters: PostgreSQL truncates longer names, and two truncated names could
 * collide so that `CREATE INDEX IF NOT EXISTS` would silently skip the second.
 */
export function indexName(table: TableName, suffix: string): string {
  return `${table.name.slice(0, 63 - suffix.length)}${suffix}`;
}
