import { describeStore } from "@tessera/store/conformance/vitest";
import type mysql from "mysql2/promise";
import { afterAll, beforeAll } from "vitest";
import { type SqlExecutor, SqlStore } from "../src/index.js";
import { dropTable, executors, mysqlPool, uniqueTable } from "./helpers.js";

const table = uniqueTable("my_conf");
let pool: mysql.Pool;
let executor: SqlExecutor;

beforeAll(async () => {
  pool = await mysqlPool(12);
  executor = executors.mysql(pool);
  await new SqlStore(executor, { table }).migrate();
});

afterAll(async () => {
  if (executor !== undefined) await dropTable(executor, table);
  await pool?.end();
});

describeStore("SqlStore on MariaDB via mysql2 pool", () => new SqlStore(executor, { table }));
