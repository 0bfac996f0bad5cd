import { MemoryStore, type SessionStore } from "@tessera/store";
import type { DemoConfig } from "./config.js";

/** The stores for sessions and for API refresh tokens, and how to let go of them. */
export interface OpenedStores {
  sessionStore: SessionStore;
  tokenStore: SessionStore;
  /** For the footer and the startup line; never contains credentials. */
  label: string;
  close(): Promise<void>;
}

/**
 * Opens the configured stores. The Redis and PostgreSQL drivers (and their
 * clients) are imported only when chosen, so the default memory path loads
 * neither. Sessions and refresh tokens get separate namespaces (a key prefix,
 * a table) so "sign out everywhere" on one never deletes the other's records.
 */
export async function openStores(config: DemoConfig): Promise<OpenedStores> {
  if (config.store === "redis") {
    const [{ createClient }, { RedisStore, fromNodeRedis }] = await Promise.all([
      import("redis"),
      import("@tessera/store-redis"),
    ]);
    const client = createClient({ url: config.redisUrl!, disableOfflineQueue: true });
    client.on("error", (error: Error) => console.warn(`redis: ${error.message}`));
    await client.connect();
    const executor = fromNodeRedis(client);
    return {
      sessionStore: new RedisStore({ client: executor, prefix: "tessera-demo:sess:" }),
      tokenStore: new RedisStore({ client: executor, prefix: "tessera-demo:tok:" }),
      label: "Redis",
      async close() {
        await client.quit().catch(() => {});
      },
    };
  }
  if (config.store === "postgres") {
    const [{ default: pg }, { SqlStore, pgExecutor }] = await Promise.all([
      import("pg"),
      import("@tessera/store-sql"),
    ]);
    const pool = new pg.Pool({ connectionString: config.databaseUrl!, max: 5 });
    pool.on("error", () => {}); // outages are reported per call as StoreUnavailableError
    const executor = pgExecutor(pool);
    const sessionStore = new SqlStore(executor, { table: "tessera_demo_sessions" });
    const tokenStore = new SqlStore(executor, { table: "tessera_demo_tokens" });
    await sessionStore.migrate();
    await tokenStore.migrate();
    return {
      sessionStore,
      tokenStore,
      label: "PostgreSQL",
      async close() {
        await Promise.all([sessionStore.close(), tokenStore.close()]);
        await pool.end();
      },
    };
  }
  return {
    sessionStore: new MemoryStore(),
    tokenStore: new MemoryStore(),
    label: "memory",
    async close() {},
  };
}
