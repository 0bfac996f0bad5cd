import { StoreError, StoreUnavailableError } from "@tessera/store";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { betterSqlite3Executor } from "../src/clients/better-sqlite3.js";
import type { SqlExecutor } from "../src/executor.js";
import { schemaStatements } from "../src/schema.js";
import { SqlStore, type SqlStoreOptions } from "../src/sql-store.js";
import { recording } from "./helpers.js";

const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";
const open: Database.Database[] = [];

function memory(): { db: Database.Database; executor: SqlExecutor } {
  const db = new Database(":memory:");
  open.push(db);
  return { db, executor: betterSqlite3Executor(db) };
}

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

async function codeOf(attempt: () => unknown): Promise<string | undefined> {
  try {
    await attempt();
  } catch (error) {
    return StoreError.isInstance(error) ? error.code : String(error);
  }
  return undefined;
}

describe("SqlStore options", () => {
  it.each([
    ["table", { table: 'sess"; DROP TABLE users; --' }],
    ["table", { table: "a.b" }],
    ["pruneInterval", { pruneInterval: -1 }],
    ["pruneInterval", { pruneInterval: Number.NaN }],
    ["pruneBatchSize", { pruneBatchSize: 0 }],
    ["pruneBatchSize", { pruneBatchSize: 1.5 }],
    ["queryTimeout", { queryTimeout: Number.POSITIVE_INFINITY }],
    ["maxValueBytes", { maxValueBytes: 1024 }],
    ["now", { now: 5 }],
  ] as Array<[string, SqlStoreOptions]>)(
    "rejects a bad %s at construction",
    async (name, options) => {
      const { executor } = memory();
      const code = await codeOf(() => new SqlStore(executor, options));
      expect(code).toBe("ERR_STORE_INVALID_OPTION");
      let message = "";
      try {
        new SqlStore(executor, options);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`option ${name} is invalid`);
    },
  );

  it.each([
    ["no executor", undefined],
    ["no query method", { dialect: "postgres" }],
    ["unknown dialect", { dialect: "oracle", query: async () => ({ rows: [], affected: 0 }) }],
  ])("rejects an executor with %s", async (_, executor) => {
    expect(await codeOf(() => new SqlStore(executor as unknown as SqlExecutor))).toBe(
      "ERR_STORE_INVALID_OPTION",
    );
  });

  it("rejects a value above maxValueBytes before any statement", async () => {
    const { executor } = memory();
    const spy = recording(executor);
    const store = new SqlStore(spy, { maxValueBytes: 65_536 });
    const code = await codeOf(() =>
      store.set(KEY, { value: "x".repeat(65_537), expiresAt: Date.now() + 60_000 }),
    );
    expect(code).toBe("ERR_STORE_VALUE_TOO_LARGE");
    expect(spy.log).toHaveLength(0);
  });
});

describe("SqlStore statements", () => {
  // A hostile key never reaches SQL; a valid one travels only as a parameter.
  it("sends data only as bound parameters", async () => {
    const { executor } = memory();
    const spy = recording(executor);
    const store = new SqlStore(spy);
    await store.migrate();
    spy.log.length = 0;
    expect(await codeOf(() => store.get("' OR '1'='1"))).toBe("ERR_STORE_INVALID_KEY");
    expect(spy.log).toHaveLength(0);
    const value = "'; DROP TABLE tessera_sessions; --";
    await store.set(KEY, { value, expiresAt: Date.now() + 60_000, userId: "u'1" });
    expect(await store.get(KEY)).toMatchObject({ value, userId: "u'1", version: 1 });
    expect(spy.log).toHaveLength(2);
    for (const { sql, params } of spy.log) {
      expect(sql).not.toContain(KEY);
      expect(sql).not.toContain("DROP");
      expect(params).toContain(KEY);
    }
  });

  it("uses the store's clock, not the database's, for expiry", async () => {
    const { executor } = memory();
    let now = Date.now();
    const store = new SqlStore(executor, { now: () => now });
    await store.migrate();
    await store.set(KEY, { value: "v", expiresAt: now + 1000 });
    expect(await store.get(KEY)).not.toBeNull();
    now += 1000;
    expect(await store.get(KEY)).toBeNull();
    expect(await store.set(KEY, { value: "w", expiresAt: now + 1 }, { expectVersion: 0 })).toEqual({
      ok: true,
      version: 1,
    });
  });

  it("reports an answered database error as ERR_STORE_BACKEND, not an outage", async () => {
    const { executor } = memory();
    const store = new SqlStore(executor, { table: "never_migrated" });
    const caught = await store.get(KEY).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(StoreError.isInstance(caught) && caught.code).toBe("ERR_STORE_BACKEND");
    expect(StoreUnavailableError.isInstance(caught)).toBe(false);
    expect(String((caught as Error).cause)).toContain("no such table");
  });

  it("reports a closed database as StoreUnavailableError with the cause kept", async () => {
    const { db, executor } = memory();
    const store = new SqlStore(executor);
    await store.migrate();
    db.close();
    const caught = await store.get(KEY).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(StoreUnavailableError.isInstance(caught)).toBe(true);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it("rejects with StoreUnavailableError when a statement exceeds queryTimeout", async () => {
    const { executor } = memory();
    const slow: SqlExecutor = {
      dialect: "sqlite",
      query: async (sql, params) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return executor.query(sql, params);
      },
    };
    const store = new SqlStore(slow, { queryTimeout: 0.02 });
    const caught = await store.get(KEY).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(StoreUnavailableError.isInstance(caught)).toBe(true);
  });
});

describe("SqlStore pruning and close", () => {
  it("prunes in the background every pruneInterval and stops on close", async () => {
    const { db, executor } = memory();
    const spy = recording(executor);
    const store = new SqlStore(spy, { pruneInterval: 0.02 });
    await store.migrate();
    const insert = db.prepare(
      'INSERT INTO "tessera_sessions" ("key", "value", "expires_at", "user_id", "version") VALUES (?, ?, ?, NULL, 1)',
    );
    for (let i = 0; i < 50; i++) insert.run(`expired${i}`, "v", Date.now() - 1000);
    await store.set(KEY, { value: "live", expiresAt: Date.now() + 60_000 });
    for (let i = 0; i < 100 && countRows(db) > 1; i++) await sleep(10);
    expect(countRows(db)).toBe(1);
    await store.close();
    const statements = spy.log.length;
    await sleep(100);
    expect(spy.log.length).toBe(statements);
    // close() stops the store, never the user's client.
    expect(db.open).toBe(true);
    expect(await codeOf(() => store.prune())).toBe("ERR_STORE_CLOSED");
    expect(await codeOf(() => store.migrate())).toBe("ERR_STORE_CLOSED");
  });

  it("reports background prune failures through onPruneError", async () => {
    const { executor } = memory();
    const errors: StoreError[] = [];
    const store = new SqlStore(executor, {
      table: "never_migrated",
      pruneInterval: 0.01,
      onPruneError: (error) => errors.push(error),
    });
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(10);
    await store.close();
    expect(errors[0]?.code).toBe("ERR_STORE_BACKEND");
  });
});

describe("schemaStatements", () => {
  it.each(["postgres", "mysql", "sqlite"] as const)(
    "creates table and indexes idempotently on %s",
    (dialect) => {
      const ddl = schemaStatements(dialect, { table: "sessions" }).join("\n");
      expect(ddl).toContain("CREATE TABLE IF NOT EXISTS");
      expect(ddl).toMatch(/expires_at_idx/);
      expect(ddl).toMatch(/user_id_idx/);
      expect(ddl).toMatch(/"?`?expires_at"?`? BIGINT|"expires_at" INTEGER/);
    },
  );

  it("uses utf8mb4 MEDIUMTEXT and binary collations on MySQL", () => {
    const [table] = schemaStatements("mysql");
    expect(table).toContain("`value` MEDIUMTEXT CHARACTER SET utf8mb4");
    expect(table).toContain("ascii_bin");
    expect(table).toContain("DEFAULT CHARSET=utf8mb4");
  });

  it("rejects a hostile table name", () => {
    expect(() => schemaStatements("postgres", { table: 'x"; DROP TABLE users; --' })).toThrow(
      /option table is invalid/,
    );
  });

  it("runs twice without error (migrate is idempotent)", async () => {
    const { executor } = memory();
    const store = new SqlStore(executor);
    await store.migrate();
    await store.migrate();
  });
});

function countRows(db: Database.Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM "tessera_sessions"').get() as { n: number }).n;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
