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
  /** node-redis's `cluster.multi(routingKey)`; used only by the store's `durability` option. */
  multi?(routing?: string): NodeRedisClusterPipelineLike;
}

/**
 * The part of a node-redis Cluster `multi()` the store uses: commands queued
 * for one routing key and sent as a pipeline (no `MULTI`/`EXEC`) to that
 * key's master.
 *
 * @example
 * ```ts
 * const batch: NodeRedisClusterPipelineLike = cluster.multi("key");
 * ```
 */
export interface NodeRedisClusterPipelineLike {
  addCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): unknown;
  execAsPipeline(): Promise<unknown[]>;
}

// node-redis (v5, v6) gives every command a default 5 s timeout (its client's
// `commandOptions.timeout`), built from AbortSignal.timeout and an abort listener per
// command: more CPU than the rest of the command's bookkeeping. The store bounds every
// call with its own commandTimeout already, and node-redis's timeout only rejects the
// promise of a command it has written anyway, so 0 (falsy: no signal) changes nothing
// callers can see. One frozen object, shared by every command.
const NO_CLIENT_TIMEOUT = Object.freeze({ timeout: 0 });

// node-redis error classes do not set `name`; ErrorReply (and its subclasses
// SimpleError, BlobError) are the server's replies, everything else is transport.
function isNodeRedisReply(error: unknown): boolean {
  for (let p = error instanceof Error ? Object.getPrototypeOf(error) : null; p; ) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === "ErrorReply") return true;
    p = Object.getPrototypeOf(p);
  }
  return false;
}

function isRedirect(reply: unknown): boolean {
  return isNodeRedisReply(reply) && /^(MOVED|ASK) /.test((reply as Error).message);
}

// node-redis (6.x) rejects a pipeline with its first error reply and drops the other
// replies. Put that error in every place: the store then reads the write as failed (a
// NOSCRIPT is retried as EVAL), never as acknowledged. A MultiErrorReply carries them all.
function pipelineReplies(error: unknown, count: number): unknown[] {
  if (!isNodeRedisReply(error)) throw error;
  const replies = (error as { replies?: unknown }).replies;
  return Array.isArray(replies) ? replies : Array.from({ length: count }, () => error);
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
    // No copy: node-redis keeps the array until the reply, and the store builds a
    // fresh one for every command (RedisExecutor.send's contract).
    send: (_firstKey: string, args: readonly string[]) =>
      client.sendCommand(args as string[], NO_CLIENT_TIMEOUT),
    isReplyError: isNodeRedisReply,
    // Commands sent in one tick leave on the client's one connection in one write, in order.
    pipeline: async (_firstKey: string, commands: readonly (readonly string[])[]) => {
      const settled = await Promise.allSettled(
        commands.map((args) => client.sendCommand(args as string[], NO_CLIENT_TIMEOUT)),
      );
      return settled.map((s) => (s.status === "fulfilled" ? s.value : s.reason));
    },
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
      cluster.sendCommand(firstKey, false, args as string[], NO_CLIENT_TIMEOUT),
    isReplyError: isNodeRedisReply,
    // multi(key).execAsPipeline() sends the batch to the key's master and, unlike
    // sendCommand, does not follow a MOVED for one command alone, so a WAIT never
    // counts the replicas of a node the write did not run on.
    ...(typeof cluster.multi === "function"
      ? {
          pipeline: async (firstKey: string, commands: readonly (readonly string[])[]) => {
            const batch = cluster.multi!(firstKey);
            for (const args of commands) batch.addCommand(firstKey, false, args as string[]);
            const replies = await batch
              .execAsPipeline()
              .catch((error: unknown) => pipelineReplies(error, commands.length));
            if (!replies.some(isRedirect)) return replies;
            // The slot moved (a failover, resharding) and execAsPipeline neither follows
            // nor learns it: send the batch again one command after another through
            // sendCommand, which follows the redirect and refreshes the slot map, so the
            // WAIT lands on the connection the write ran on. Only after a topology change.
            const again: unknown[] = [];
            for (const args of commands) {
              again.push(
                await cluster
                  .sendCommand(firstKey, false, args as string[], NO_CLIENT_TIMEOUT)
                  .catch((error: unknown) => {
                    if (isNodeRedisReply(error)) return error;
                    throw error;
                  }),
              );
            }
            return again;
          },
        }
      : {}),
  };
}
