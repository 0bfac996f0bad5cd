import { StoreError } from "@tessera/store";
import { objectOption } from "@tessera/store/driver";
import type { SqlExecutor, SqlParam } from "../executor.js";

/**
 * The part of a `node:sqlite` `StatementSync` the binding uses.
 *
 * @example
 * ```ts
 * const statement: NodeSqliteStatement = db.prepare("SELECT 1 AS one");
 * ```
 */
export interface NodeSqliteStatement {
  /** Result column metadata; missing before Node 22.16, which the binding refuses. */
  columns?(): ReadonlyArray<{ name: string; type: string | null }>;
  all(...params: SqlParam[]): unknown[];
  run(...params: SqlParam[]): { changes: number | bigint };
}

/**
 * The part of a `node:sqlite` `DatabaseSync` the binding uses.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * const db: NodeSqliteDatabase = new DatabaseSync("sessions.db");
 * ```
 */
export interface NodeSqliteDatabase {
  prepare(sql: string): NodeSqliteStatement;
}

// node:sqlite reports SQLite failures as ERR_SQLITE_ERROR with the SQLite
// result code in `errcode`; its low byte is the primary code
// (https://www.sqlite.org/rescode.html): BUSY 5, LOCKED 6, IOERR 10, FULL 13,
// CANTOPEN 14. Constraint and syntax errors are answers, not outages.
const UNAVAILABLE_RESULT_CODES = new Set([5, 6, 10, 13, 14]);

function isNodeSqliteUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errcode, message } = error as {
    code?: unknown;
    errcode?: unknown;
    message?: unknown;
  };
  if (code === "ERR_SQLITE_ERROR" && typeof errcode === "number") {
    return UNAVAILABLE_RESULT_CODES.has(errcode & 0xff);
  }
  // After db.close(): prepare() says the database is not open, and statements
  // prepared before say they have been finalized.
  return (
    code === "ERR_INVALID_STATE" &&
    typeof message === "string" &&
    /database is not open|statement has been finalized/i.test(message)
  );
}

// A declared type with TEXT affinity (https://www.sqlite.org/datatype3.html,
// section 3.1: "INT" wins, then "CHAR", "CLOB" or "TEXT").
function isText(type: string | null): boolean {
  return type !== null && !/INT/i.test(type) && /CHAR|CLOB|TEXT/i.test(type);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface Prepared {
  statement: NodeSqliteStatement;
  reader: boolean;
  /** Columns read as BLOBs that the binding turns back into strings. */
  text: string[];
}

/**
 * Binds Node's built-in SQLite (`node:sqlite`, Node 22.16+; no native build):
 * pass a `DatabaseSync`. Like better-sqlite3 it is synchronous: each call runs
 * at once and resolves a promise; statements are prepared once and cached. For
 * a file shared by several processes, set `PRAGMA journal_mode = WAL` and a
 * busy timeout so writers wait for each other instead of failing with SQLITE_BUSY.
 * This module never imports `node:sqlite` itself, so the package still loads
 * on Node 20 and in bundlers. On a Node without `StatementSync.columns()`
 * (before 22.16) the first call rejects with `ERR_STORE_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * const db = new DatabaseSync("sessions.db");
 * db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000");
 * const store = new SqlStore(nodeSqliteExecutor(db));
 * ```
 */
export function nodeSqliteExecutor(db: NodeSqliteDatabase): SqlExecutor {
  objectOption("nodeSqliteExecutor(db)", db, ["prepare"], "expected a node:sqlite DatabaseSync");
  const statements = new Map<string, Prepared>();
  let decoder: TextDecoder | undefined;

  function prepare(sql: string): Prepared {
    const statement = db.prepare(sql);
    if (typeof statement.columns !== "function") {
      throw new StoreError(
        "ERR_STORE_INVALID_OPTION",
        "nodeSqliteExecutor(db): this Node's node:sqlite has no StatementSync.columns(); use Node 22.16+ or better-sqlite3",
      );
    }
    const columns = statement.columns();
    const names = columns.map((c) => c.name);
    const text = columns.filter((c) => isText(c.type)).map((c) => c.name);
    // node:sqlite cuts TEXT at the first U+0000 when it reads it (it builds
    // the string from a C string), though SQLite stores the whole value. Read
    // such columns as BLOBs and decode them here. RETURNING clauses cannot be
    // wrapped; the store's only return an integer.
    if (text.length === 0 || !/^\s*SELECT\b/i.test(sql) || new Set(names).size < names.length) {
      return { statement, reader: columns.length > 0, text: [] };
    }
    const list = names.map((name) =>
      text.includes(name) ? `CAST(${quote(name)} AS BLOB) AS ${quote(name)}` : quote(name),
    );
    return { statement: db.prepare(`SELECT ${list.join(", ")} FROM (${sql})`), reader: true, text };
  }

  // CAST(text AS BLOB) yields the database's own encoding. A leading U+FEFF
  // is part of the value, not a byte order mark to drop.
  function textDecoder(): TextDecoder {
    if (decoder === undefined) {
      const row = db.prepare("PRAGMA encoding").all()[0] as { encoding?: unknown } | undefined;
      decoder = new TextDecoder(String(row?.encoding ?? "UTF-8"), { ignoreBOM: true });
    }
    return decoder;
  }

  return {
    dialect: "sqlite",
    async query(sql, params) {
      let prepared = statements.get(sql);
      if (prepared === undefined) {
        prepared = prepare(sql);
        statements.set(sql, prepared);
      }
      try {
        if (!prepared.reader) {
          return { rows: [], affected: Number(prepared.statement.run(...params).changes) };
        }
        const rows = prepared.statement.all(...params) as Array<Record<string, unknown>>;
        if (prepared.text.length > 0) {
          const utf = textDecoder();
          for (const row of rows) {
            for (const name of prepared.text) {
              const value = row[name];
              if (value instanceof Uint8Array) row[name] = utf.decode(value);
            }
          }
        }
        return { rows, affected: rows.length };
      } catch (error) {
        // A database closed and opened again (db.open()) leaves the statements
        // prepared before finalized for good: prepare afresh on the next call.
        statements.delete(sql);
        throw error;
      }
    },
    isUnavailable: isNodeSqliteUnavailable,
  };
}
