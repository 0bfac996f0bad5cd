import { describeStore } from "@tessera/store/conformance/vitest";
import type pg from "pg";
import type postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { type SqlExecutor, SqlStore } from "../src/index.js";
import { dropTable, executors, pgPool, postgresJs, uniqueTable } from "./helpers.js";

const table = uniqueTable("pg_conf");
let pool: pg.Pool;
let client: pg.PoolClient;
let sql: postgres.Sql;
let viaPool: SqlExecutor;

beforeAll(async () => {
  pool = await pgPool(12);
  viaPool = executors.pg(pool);
  await new SqlStore(viaPool, { table }).migrate();
  client = await pool.connect();
  sql = await postgresJs(12);
});

afterAll(async () => {
  client?.release();
  await sql?.end();
  if (viaPool !== undefined) await dropTable(viaPool, table);
  await pool?.end();
});

describeStore("SqlStore on PostgreSQL via pg Pool", () => new SqlStore(viaPool, { table }));
// One connection: parallel writers queue on it, still one statement each.
describeStore(
  "SqlStore on PostgreSQL via one pg client",
  () => new SqlStore(executors.pg(client as unknown as pg.Client), { table }),
);
describeStore(
  "SqlStore on PostgreSQL via postgres.js",
  () => new SqlStore(executors.postgresJs(sql), { table }),
);
