import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStore } from "@tessera/store/conformance/vitest";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { requireService } from "../../../scripts/test-env.js";
import {
  betterSqlite3Executor,
  mysql2Executor,
  pgExecutor,
  postgresJsExecutor,
  type SqlExecutor,
  type SqlParam,
  type SqlResult,
  SqlStore,
} from "../src/index.js";

/** A table name unique to one test file and run, so files and reruns never collide. */
export function uniqueTable(label: string): string {
  return `tessera_test_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function pgPool(max = 8): Promise<pg.Pool> {
  const connectionString = await requireService("DATABASE_URL_PG");
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 2000 });
  // Idle clients report a server shutdown here; the store reports it per call.
  pool.on("error", () => undefined);
  return pool;
}

export async function postgresJs(max = 8): Promise<postgres.Sql> {
  const url = await requireService("DATABASE_URL_PG");
  return postgres(url, { max, connect_timeout: 2, onnotice: () => undefined });
}

export async function mysqlPool(connectionLimit = 8): Promise<mysql.Pool> {
  const uri = await requireService("DATABASE_URL_MYSQL");
  return mysql.createPool({ uri, connectionLimit, connectTimeout: 2000 });
}

export interface SqliteFile {
  db: Database.Database;
  cleanup(): void;
}

export function sqliteFile(): SqliteFile {
  const dir = mkdtempSync(join(tmpdir(), "tessera-store-sql-"));
  const db = new Database(join(dir, "sessions.db"), { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  return {
    db,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const executors = {
  pg: (pool: pg.Pool | pg.Client) => pgExecutor(pool),
  postgresJs: (sql: postgres.Sql) => postgresJsExecutor(sql),
  mysql: (pool: mysql.Pool) => mysql2Executor(pool),
  sqlite: (db: Database.Database) => betterSqlite3Executor(db),
};

export interface Recorded {
  sql: string;
  params: readonly SqlParam[];
  result?: SqlResult;
}

/** Wraps an executor and records every statement with its result. */
export function recording(inner: SqlExecutor): SqlExecutor & { log: Recorded[] } {
  const log: Recorded[] = [];
  return {
    dialect: inner.dialect,
    log,
    async query(sql, params) {
      const entry: Recorded = { sql, params };
      log.push(entry);
      entry.result = await inner.query(sql, params);
      return entry.result;
    },
  };
}

export async function dropTable(executor: SqlExecutor, table: string): Promise<void> {
  const quoted = executor.dialect === "mysql" ? `\`${table}\`` : `"${table}"`;
  await executor.query(`DROP TABLE IF EXISTS ${quoted}`, []);
}

/** One live database behind an executor, with its teardown. */
export interface Target {
  name: string;
  executor: SqlExecutor;
  end(): Promise<void>;
}

/** How to open each dialect on a pool of several connections (SQLite: a WAL file), by target name. */
const OPENERS: Record<string, () => Promise<Omit<Target, "name">>> = {
  "PostgreSQL (pg Pool)": async () => {
    const pool = await pgPool(8);
    return { executor: executors.pg(pool), end: () => pool.end() };
  },
  "PostgreSQL (postgres.js)": async () => {
    const sql = await postgresJs(8);
    return { executor: executors.postgresJs(sql), end: () => sql.end() };
  },
  "MariaDB (mysql2 pool)": async () => {
    const my = await mysqlPool(8);
    return { executor: executors.mysql(my), end: () => my.end() };
  },
  "SQLite (better-sqlite3 file)": async () => {
    const file = sqliteFile();
    return { executor: executors.sqlite(file.db), end: async () => file.cleanup() };
  },
};

/**
 * One describe block per dialect, named after its target. Before the file's
 * tests every target is opened with each of `tables` migrated; after them the
 * tables are dropped and the targets closed. `body` reads its block's target
 * through the getter it is given; the returned function gives the target of a
 * name to tests outside the blocks (in tests and hooks only, like the getter).
 */
export function describeEachTarget(
  tables: readonly string[],
  body: (target: () => Target) => void,
): (name: string) => Target {
  const targets: Target[] = [];
  beforeAll(async () => {
    for (const [name, open] of Object.entries(OPENERS)) targets.push({ name, ...(await open()) });
    for (const t of targets) {
      for (const table of tables) await new SqlStore(t.executor, { table }).migrate();
    }
  });
  afterAll(async () => {
    for (const t of targets) {
      for (const table of tables) await dropTable(t.executor, table);
      await t.end();
    }
  });
  const targetNamed = (name: string): Target => {
    const target = targets.find((t) => t.name === name);
    if (target === undefined) throw new Error(`${name} is not open`);
    return target;
  };
  describe.each(Object.keys(OPENERS))("%s", (name) => body(() => targetNamed(name)));
  return targetNamed;
}

/** What {@link describeConformance} opens: executors by name, and how to close them. */
export interface Opened<Name extends string> {
  executors: Record<Name, SqlExecutor>;
  end(): Promise<void>;
}

/**
 * The store contract's suite against SqlStore on each named executor, all on
 * one table of this file (named after `label`), migrated before the file's
 * tests and dropped after them through the first name's executor. `open` runs
 * before the tests.
 */
export function describeConformance<Name extends string>(
  label: string,
  names: readonly [Name, ...Name[]],
  open: () => Promise<Opened<Name>>,
): void {
  const table = uniqueTable(label);
  let opened: Opened<Name> | undefined;
  const executor = (name: Name): SqlExecutor => {
    if (opened === undefined) throw new Error(`${name} is not open`);
    return opened.executors[name];
  };
  beforeAll(async () => {
    opened = await open();
    await new SqlStore(executor(names[0]), { table }).migrate();
  });
  afterAll(async () => {
    if (opened === undefined) return;
    await dropTable(executor(names[0]), table);
    await opened.end();
  });
  for (const name of names) {
    describeStore(`SqlStore on ${name}`, () => new SqlStore(executor(name), { table }));
  }
}
