import type pg from "pg";
import { describeConformance, executors, pgPool, postgresJs } from "./helpers.js";

describeConformance(
  "pg_conf",
  ["PostgreSQL via pg Pool", "PostgreSQL via one pg client", "PostgreSQL via postgres.js"],
  async () => {
    const pool = await pgPool(12);
    const client = await pool.connect();
    const sql = await postgresJs(12);
    return {
      executors: {
        "PostgreSQL via pg Pool": executors.pg(pool),
        // One connection: parallel writers queue on it, still one statement each.
        "PostgreSQL via one pg client": executors.pg(client as unknown as pg.Client),
        "PostgreSQL via postgres.js": executors.postgresJs(sql),
      },
      end: async () => {
        client.release();
        await sql.end();
        await pool.end();
      },
    };
  },
);
