import { type SessionStore, StoreUnavailableError } from "@tessera/store";
import { randomKey } from "@tessera/store/conformance";
import type mysql from "mysql2/promise";
import type pg from "pg";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection } from "../../../scripts/outcomes.js";
import { startService, stopService } from "../../../scripts/test-env.js";
import { SqlStore } from "../src/index.js";
import { dropTable, executors, mysqlPool, pgPool, postgresJs, uniqueTable } from "./helpers.js";

const table = uniqueTable("outage");

// The server may still be starting (PostgreSQL 57P03) or the pool may hand out
// a connection that died with the old server: retry until the same store works.
async function recovers(store: SessionStore, key: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      expect((await store.get(key))?.value).toBe("before");
      return;
    } catch (error) {
      if (!StoreUnavailableError.isInstance(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function outage(service: string, stores: SessionStore[]): Promise<void> {
  const key = randomKey();
  const expiresAt = Date.now() + 120_000;
  await stores[0]!.set(key, { value: "before", expiresAt });
  for (const store of stores) expect((await store.get(key))?.value).toBe("before");
  try {
    stopService(service);
    for (const store of stores) {
      for (const call of [
        () => store.get(key),
        () => store.set(key, { value: "during", expiresAt }, { expectVersion: 1 }),
      ]) {
        const error = await rejection(call());
        expect(StoreUnavailableError.isInstance(error)).toBe(true);
        expect((error as Error).cause).toBeDefined();
      }
    }
  } finally {
    // Other packages' tests need the server: always bring it back.
    startService(service);
  }
  for (const store of stores) await recovers(store, key);
  expect(await stores[0]!.set(key, { value: "after", expiresAt }, { expectVersion: 1 })).toEqual({
    ok: true,
    version: 2,
  });
  await stores[0]!.delete(key);
}

describe("PostgreSQL stopped and restarted", () => {
  let pool: pg.Pool;
  let sql: postgres.Sql;

  beforeAll(async () => {
    pool = await pgPool(4);
    sql = await postgresJs(4);
    await new SqlStore(executors.pg(pool), { table }).migrate();
  });

  afterAll(async () => {
    await dropTable(executors.pg(pool), table);
    await pool.end();
    await sql.end({ timeout: 1 });
  });

  it("rejects with StoreUnavailableError, then the same stores work again", async () => {
    await outage("postgres", [
      new SqlStore(executors.pg(pool), { table }),
      new SqlStore(executors.postgresJs(sql), { table }),
    ]);
  }, 90_000);
});

describe("MariaDB stopped and restarted", () => {
  let pool: mysql.Pool;

  beforeAll(async () => {
    pool = await mysqlPool(4);
    await new SqlStore(executors.mysql(pool), { table }).migrate();
  });

  afterAll(async () => {
    await dropTable(executors.mysql(pool), table);
    await pool.end();
  });

  it("rejects with StoreUnavailableError, then the same store works again", async () => {
    await outage("mariadb", [new SqlStore(executors.mysql(pool), { table })]);
  }, 90_000);
});
