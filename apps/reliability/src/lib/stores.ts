/**
 * The stores under test, built the way their READMEs tell users to, each
 * optionally reached through a {@link FaultProxy}. Every store gets a unique
 * key prefix or table, so runs never see each other's sessions.
 */

import { MemoryStore, type SessionStore } from "@tessera/store";
import { MemcachedStore, type MemjsClientLike, memjsClient } from "@tessera/store-memcached";
import { fromNodeRedis, RedisStore } from "@tessera/store-redis";
import { pgExecutor, SqlStore } from "@tessera/store-sql";
import memjs from "memjs";
import pg from "pg";
import { createClient } from "redis";
import { type Endpoint, requireService, serviceEndpoints } from "../../../../scripts/test-env.js";
import { FaultProxy } from "./proxy.js";

export type StoreKind = "memory" | "redis" | "postgres" | "memcached";
export const SERVER_STORES: readonly StoreKind[] = ["redis", "postgres", "memcached"];
export const ALL_STORES: readonly StoreKind[] = ["memory", ...SERVER_STORES];

/** The service variable each server store needs. */
const VARIABLE: Record<Exclude<StoreKind, "memory">, string> = {
  redis: "REDIS_URL",
  postgres: "DATABASE_URL_PG",
  memcached: "MEMCACHED_SERVERS",
};

export interface OpenStore {
  kind: StoreKind;
  store: SessionStore;
  /** The proxy in front of the server, when one was asked for. */
  proxy?: FaultProxy;
  /** The per-call timeout the store is configured with, in ms (server stores). */
  timeoutMs: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Put a fault proxy between the client and the server. */
  proxy?: boolean;
  /** Store call timeout, ms. @default 500 */
  timeoutMs?: number;
}

export const RUN_ID = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let counter = 0;
const unique = (kind: string) => `${kind}_${RUN_ID}_${++counter}`;
const ignore = () => undefined;

async function endpointOf(
  kind: Exclude<StoreKind, "memory">,
): Promise<{ value: string; first: Endpoint }> {
  const value = await requireService(VARIABLE[kind]);
  const first = serviceEndpoints(value)[0];
  if (first === undefined) throw new Error(`${VARIABLE[kind]}=${value} names no endpoint`);
  return { value, first };
}

/** Opens one store. Server stores fail (never skip) with a hint when the services are down. */
export async function openStore(kind: StoreKind, options: OpenOptions = {}): Promise<OpenStore> {
  const timeoutMs = options.timeoutMs ?? 500;
  if (kind === "memory") {
    const store = new MemoryStore();
    return { kind, store, timeoutMs: 0, close: async () => store.close?.() };
  }
  const { value, first } = await endpointOf(kind);
  const proxy = options.proxy === true ? await new FaultProxy(first).start() : undefined;
  const host = proxy?.host ?? first.host;
  const port = proxy?.port ?? first.port;
  const closeProxy = async () => proxy?.close();
  /**
   * A server store as opened. Closing it lets traffic pass the proxy again,
   * so `cleanUp` can remove this run's data, then ends the client.
   */
  const opened = (
    store: SessionStore,
    cleanUp: () => Promise<unknown>,
    end: () => Promise<unknown>,
  ): OpenStore => ({
    kind,
    store,
    proxy,
    timeoutMs,
    async close() {
      await store.close?.();
      await proxy?.set({ kind: "pass" });
      try {
        await cleanUp();
      } finally {
        await end().catch(ignore);
        await closeProxy();
      }
    },
  });

  if (kind === "redis") {
    const url = new URL(value);
    url.hostname = host;
    url.port = String(port);
    const client = createClient({
      url: url.toString(),
      disableOfflineQueue: true,
      socket: {
        connectTimeout: timeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * retries, 500),
      },
    });
    client.on("error", ignore);
    await client.connect();
    const prefix = `tessera-rel:${unique("r")}:`;
    const store = new RedisStore({
      client: fromNodeRedis(client),
      prefix,
      commandTimeout: timeoutMs,
    });
    return opened(
      store,
      async () => {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
          if (keys.length > 0) await client.del(keys);
        }
      },
      () => client.quit(),
    );
  }

  if (kind === "postgres") {
    const url = new URL(value);
    url.hostname = host;
    url.port = String(port);
    const pool = new pg.Pool({
      connectionString: url.toString(),
      max: 10,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 10_000,
    });
    pool.on("error", ignore);
    const table = unique("rel").toLowerCase();
    const store = new SqlStore(pgExecutor(pool), { table, queryTimeout: timeoutMs / 1000 });
    await store.migrate();
    return opened(
      store,
      () => pool.query(`DROP TABLE IF EXISTS "${table}"`),
      () => pool.end(),
    );
  }

  // memcached: one server of the pair is enough here (and keeps the proxy single).
  const client = memjs.Client.create(`${host}:${port}`, {
    timeout: timeoutMs / 1000 / 2,
    conntimeout: timeoutMs / 1000 / 2,
    retries: 1,
    keepAlive: true,
    logger: { log: ignore },
  });
  const store = new MemcachedStore({
    client: memjsClient(client as unknown as MemjsClientLike),
    prefix: `tessera-rel:${unique("m")}:`,
    timeoutMs,
  });
  // Nothing to clean up: the run's items expire with their sessions.
  return opened(
    store,
    async () => undefined,
    async () => client.close(),
  );
}
