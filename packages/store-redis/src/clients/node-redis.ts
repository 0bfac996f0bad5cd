import type { RedisExecutor } from "../executor.js";

/**
 * The part of a node-redis client (`createClient()` from `redis` or
 * `@redis/client`, v5 and v6) the store uses. Structural, so this package
 * never imports `redis` at runtime or in its types.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client: NodeRedisClientLike = createClient({ url: process.env.REDIS_URL });
 * ```
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
}

/**
 * The part of a node-redis Cluster client (`createCluster()`) the store uses.
 *
 * @example
 * ```ts
 * import { createCluster } from "redis";
 * const cluster: NodeRedisClusterLike = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:7001" }] });
 * ```
 */
export interface NodeRedisClusterLike {
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: { timeout?: number },
  ): Promise<unknown>;
}

// node-redis error classes do not set `name`; ErrorReply (and its subclasses
// SimpleError, BlobError) are the server's replies, everything else is transport.
function isNodeRedisReply(error: unknown): boolean {
  for (let p = error instanceof Error ? Object.getPrototypeOf(error) : null; p; ) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === "ErrorReply") return true;
    p = Object.getPrototypeOf(p);
  }
  return false;
}

/**
 * Binds a connected node-redis client. Create it with
 * `disableOfflineQueue: true` so commands fail at once while the connection
 * is down instead of queueing (and running late, after the store has already
 * reported a timeout), and give it an `error` listener.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { RedisStore, fromNodeRedis } from "@tessera/store-redis";
 *
 * const client = createClient({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true });
 * client.on("error", (error) => console.warn("redis", error.message));
 * await client.connect();
 * const store = new RedisStore({ client: fromNodeRedis(client) });
 * ```
 */
export function fromNodeRedis(client: NodeRedisClientLike): RedisExecutor {
  return {
    // Fresh array: node-redis may keep a reference to the arguments until the reply.
    // No `timeout` command option: node-redis implements it with AbortSignal.timeout,
    // whose per-command timers and listeners cost more CPU than the command itself;
    // the store's own commandTimeout race bounds every call already.
    send: (_firstKey: string, args: readonly string[]) => client.sendCommand([...args]),
    isReplyError: isNodeRedisReply,
  };
}

/**
 * Binds a connected node-redis Cluster client; every command is routed by its
 * one key (`isReadonly: false`, so reads go to the master and see the latest write).
 *
 * @example
 * ```ts
 * import { createCluster } from "redis";
 * import { RedisStore, fromNodeRedisCluster } from "@tessera/store-redis";
 *
 * const cluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:7001" }],
 *   defaults: { disableOfflineQueue: true } });
 * cluster.on("error", (error) => console.warn("redis", error.message));
 * await cluster.connect();
 * const store = new RedisStore({ client: fromNodeRedisCluster(cluster) });
 * ```
 */
export function fromNodeRedisCluster(cluster: NodeRedisClusterLike): RedisExecutor {
  return {
    send: (firstKey: string, args: readonly string[]) =>
      cluster.sendCommand(firstKey, false, [...args]),
    isReplyError: isNodeRedisReply,
  };
}
