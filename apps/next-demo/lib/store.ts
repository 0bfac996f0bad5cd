import { MemoryStore, type UserIndexedStore } from "@tessera/store";

/**
 * Sessions in memory by default; `TESSERA_STORE=redis` with `REDIS_URL`
 * keeps them in Redis. The Redis client connects on first use, so the
 * module that creates the manager stays synchronous.
 */
export function openStore(env: NodeJS.ProcessEnv): UserIndexedStore {
  if (env.TESSERA_STORE === undefined || env.TESSERA_STORE === "memory") return new MemoryStore();
  if (env.TESSERA_STORE !== "redis") {
    throw new Error(`TESSERA_STORE=${env.TESSERA_STORE} is not supported (use memory or redis)`);
  }
  const url = env.REDIS_URL;
  if (url === undefined) throw new Error("TESSERA_STORE=redis needs REDIS_URL");
  let opened: Promise<UserIndexedStore> | undefined;
  const open = () => {
    opened ??= (async () => {
      const [{ createClient }, { RedisStore, fromNodeRedis }] = await Promise.all([
        import("redis"),
        import("@tessera/store-redis"),
      ]);
      const client = createClient({ url, disableOfflineQueue: true });
      client.on("error", (error: Error) => console.warn("redis:", error.message));
      await client.connect();
      return new RedisStore({ client: fromNodeRedis(client), prefix: "tessera-next-demo:sess:" });
    })();
    return opened;
  };
  return {
    get: async (key) => (await open()).get(key),
    set: async (key, entry, options) => (await open()).set(key, entry, options),
    touch: async (key, expiresAt) => (await open()).touch(key, expiresAt),
    delete: async (key) => (await open()).delete(key),
    listByUser: async (userId) => (await open()).listByUser(userId),
    deleteByUser: async (userId, options) => (await open()).deleteByUser(userId, options),
  };
}
