import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
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

/** Every dialect on a pool of several connections (SQLite: a WAL file). */
export async function openTargets(): Promise<Target[]> {
  const pool = await pgPool(8);
  const sql = await postgresJs(8);
  const my = await mysqlPool(8);
  const file = sqliteFile();
  return [
    { name: "PostgreSQL (pg Pool)", executor: executors.pg(pool), end: () => pool.end() },
    { name: "PostgreSQL (postgres.js)", executor: executors.postgresJs(sql), end: () => sql.end() },
    { name: "MariaDB (mysql2 pool)", executor: executors.mysql(my), end: () => my.end() },
    {
      name: "SQLite (better-sqlite3 file)",
      executor: executors.sqlite(file.db),
      end: async () => file.cleanup(),
    },
  ];
}

/**
 * Opens every target before the file's tests with `table` migrated on each,
 * and drops the table and closes the targets after them; returns the name's
 * target once they are open.
 */
export function migratedTargets(table: string): (name: string) => Target | undefined {
  let targets: Target[] = [];
  beforeAll(async () => {
    targets = await openTargets();
    for (const t of targets) await new SqlStore(t.executor, { table }).migrate();
  });
  afterAll(async () => {
    for (const t of targets) {
      await dropTable(t.executor, table);
      await t.end();
    }
  });
  return (name) => targets.find((t) => t.name === name);
}
