import { describeConformance, executors, mysqlPool } from "./helpers.js";

describeConformance("my_conf", ["MariaDB via mysql2 pool"], async () => {
  const pool = await mysqlPool(12);
  return { executors: { "MariaDB via mysql2 pool": executors.mysql(pool) }, end: () => pool.end() };
});
