/**
 * The store axis of the matrix: how each store is built from a client, the
 * way its README tells users to. A backend is opened once per store (clients,
 * `requireService`), and each matrix cell gets a fresh store on it with its own
 * key prefix or table, so cells never see each other's sessions.
 */

import { MemoryStore, type SessionStore } from "@tessera/store";
import { MemcachedStore, type MemjsClientLike, memjsClient } from "@tessera/store-memcached";
import { fromIoredis, fromNodeRedis, RedisStore } from "@tessera/store-redis";
import { betterSqlite3Executor, mysql2Executor, pgExecutor, SqlStore } from "@tessera/store-sql";
import Database from "better-sqlite3";
import { Cluster } from "ioredis";
import memjs from "memjs";
import mysql from "mysql2/promise";
import pg from "pg";
import { createClient } from "redis";
import { requireService } from "../../../scripts/test-env.js";
import { MapStore } from "./map-store.js";

/** One cell's store and how to remove what it left behind. */
export interface CellStore {
  store: SessionStore;
  dispose(): Promise<void>;
}

/** A store's clients, opened once for all of its cells. */
export interface Backend {
  /**
   * A fresh store for one cell. `clock` is the cell's manager clock; stores
   * that take a clock (the in-process ones) get it, so their own expiry
   * agrees with the manager's; server stores keep real time (see README).
   */
  create(cell: string, clock: () => number): Promise<CellStore>;
  close(): Promise<void>;
}

export interface StoreKind {
  name: string;
  /** How the store is built, for the README table. */
  description: string;
  /** No store at all: the manager seals the data into the cookie. */
  stateless?: true;
  open(): Promise<Backend>;
}

/** Unique per test run, so reruns and parallel runs never share keys or tables. */
export const RUN_ID = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const ignore = () => undefined;

function inProcess(create: (clock: () => number) => SessionStore): () => Promise<Backend> {
  return async () => ({
    async create(_cell, clock) {
      const store = create(clock);
      return { store, dispose: async () => store.close?.() };
    },
    close: async () => undefined,
  });
}

function sqlTable(cell: string): string {
  return `harness_${RUN_ID}_${cell}`.replace(/[^A-Za-z0-9_]/g, "_");
}

export const STORES: readonly StoreKind[] = [
  {
    name: "memory",
    description: "`new MemoryStore({ now })`",
    open: inProcess((now) => new MemoryStore({ now })),
  },
  {
    name: "MapStore",
    description: "`new MapStore(now)` (the third-party-style store in `src/map-store.ts`)",
    open: inProcess((now) => new MapStore(now)),
  },
  {
    name: "Redis",
    description: "`RedisStore` + `fromNodeRedis(createClient(...))` on `REDIS_URL`",
    async open() {
      const url = await requireService("REDIS_URL");
      const client = createClient({
        url,
        disableOfflineQueue: true,
        socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
      });
      client.on("error", ignore);
      await client.connect();
      return {
        async create(cell) {
          const prefix = `tessera-harness:${RUN_ID}:${cell}:`;
          const store = new RedisStore({ client: fromNodeRedis(client), prefix });
          return {
            store,
            async dispose() {
              await store.close();
              for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
                if (keys.length > 0) await client.del(keys);
              }
            },
          };
        },
        close: () => client.quit().then(ignore),
      };
    },
  },
  {
    name: "Redis Cluster",
    description: "`RedisStore` + `fromIoredis(new Cluster(...))` on `REDIS_CLUSTER_NODES`",
    async open() {
      const value = await requireService("REDIS_CLUSTER_NODES");
      const nodes = value.split(",").map((item) => {
        const [host, port] = item.trim().split(":");
        return { host: host as string, port: Number(port) };
      });
      const cluster = new Cluster(nodes, {
        redisOptions: { maxRetriesPerRequest: 1 },
        lazyConnect: true,
      });
      cluster.on("error", ignore);
      await cluster.connect();
      return {
        async create(cell) {
          const prefix = `tessera-harness:${RUN_ID}:${cell}:`;
          const store = new RedisStore({ client: fromIoredis(cluster), prefix });
          return {
            store,
            async dispose() {
              await store.close();
              // Keys live on every master; DEL one at a time (no CROSSSLOT).
              for (const node of cluster.nodes("master")) {
                let cursor = "0";
                do {
                  const [next, keys] = await node.scan(
                    cursor,
                    "MATCH",
                    `${prefix}*`,
                    "COUNT",
                    1000,
                  );
                  cursor = next;
                  for (const key of keys) await node.del(key);
                } while (cursor !== "0");
              }
            },
          };
        },
        close: () => cluster.quit().then(ignore),
      };
    },
  },
  {
    name: "Memcached",
    description:
      "`MemcachedStore` + `memjsClient(memjs.Client.create(...))` on both `MEMCACHED_SERVERS`",
    async open() {
      const servers = await requireService("MEMCACHED_SERVERS");
      const client = memjs.Client.create(servers, {
        timeout: 0.25,
        conntimeout: 0.5,
        retries: 1,
        keepAlive: true,
        logger: { log() {} },
      });
      return {
        async create(cell) {
          const store = new MemcachedStore({
            client: memjsClient(client as unknown as MemjsClientLike),
            prefix: `th:${RUN_ID}:${cell}:`,
          });
          // Memcached cannot list keys: the cell's switchable wrapper deletes
          // what it saw written (sessions and user index items) before this.
          return { store, dispose: async () => store.close() };
        },
        close: async () => client.close(),
      };
    },
  },
  {
    name: "PostgreSQL",
    description: "`SqlStore` + `pgExecutor(new pg.Pool(...))` on `DATABASE_URL_PG`",
    async open() {
      const connectionString = await requireService("DATABASE_URL_PG");
      const pool = new pg.Pool({ connectionString, max: 8, connectionTimeoutMillis: 2000 });
      pool.on("error", ignore);
      return {
        async create(cell) {
          const table = sqlTable(cell);
          const store = new SqlStore(pgExecutor(pool), { table });
          await store.migrate();
          return {
            store,
            async dispose() {
              await store.close();
              await pool.query(`DROP TABLE IF EXISTS "${table}"`);
            },
          };
        },
        close: () => pool.end(),
      };
    },
  },
  {
    name: "MariaDB",
    description: "`SqlStore` + `mysql2Executor(mysql.createPool(...))` on `DATABASE_URL_MYSQL`",
    async open() {
      const uri = await requireService("DATABASE_URL_MYSQL");
      const pool = mysql.createPool({ uri, connectionLimit: 8, connectTimeout: 2000 });
      return {
        async create(cell) {
          const table = sqlTable(cell);
          const store = new SqlStore(mysql2Executor(pool), { table });
          await store.migrate();
          return {
            store,
            async dispose() {
              await store.close();
              await pool.query(`DROP TABLE IF EXISTS \`${table}\``);
            },
          };
        },
        close: () => pool.end(),
      };
    },
  },
  {
    name: "SQLite",
    description:
      '`SqlStore` + `betterSqlite3Executor(new Database(":memory:"))`, `now` = cell clock',
    async open() {
      const db = new Database(":memory:");
      return {
        async create(cell, now) {
          const table = sqlTable(cell);
          const store = new SqlStore(betterSqlite3Executor(db), { table, now });
          await store.migrate();
          return {
            store,
            async dispose() {
              await store.close();
              db.exec(`DROP TABLE IF EXISTS "${table}"`);
            },
          };
        },
        close: async () => {
          db.close();
        },
      };
    },
  },
  {
    name: "stateless",
    description: "no store: the record sealed into the cookie (JWE `dir` + `A256GCM`)",
    stateless: true,
    open: async () => ({
      create: async () => {
        throw new Error("stateless cells have no store");
      },
      close: async () => undefined,
    }),
  },
];
