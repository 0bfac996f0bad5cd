import type { RedisExecutor } from "../executor.js";

/**
 * The part of an ioredis `Redis` or `Cluster` (v5, v6) the store uses.
 * Structural, so this package never imports `ioredis`.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * const client: IoredisLike = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface IoredisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  /** ioredis's `pipeline(commands)`; used only by the store's `durability` option. */
  pipeline?(): {
    call(command: string, ...args: string[]): unknown;
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
  /** An ioredis `Cluster`'s slot map reload; used after a redirect in a pipeline. */
  refreshSlotsCache?(callback?: (error?: Error | null) => void): void;
}

const REDIRECT = /^(MOVED|ASK) /;

/**
 * Binds an ioredis `Redis` or `Cluster` (a Cluster routes each command by its
 * one key). Create it with `maxRetriesPerRequest: 1` (or 0) and
 * `enableOfflineQueue: false` so that commands fail fast while Redis is
 * down, and with `commandTimeout` if you want ioredis itself to give up on
 * slow replies (the store races its own `commandTimeout` either way).
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { RedisStore, fromIoredis } from "@tessera/store-redis";
 *
 * const client = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1, enableOfflineQueue: false });
 * client.on("error", (error) => console.warn("redis", error.message));
 * const store = new RedisStore({ client: fromIoredis(client) });
 * ```
 */
export function fromIoredis(client: IoredisLike): RedisExecutor {
  return {
    // One spread, no slice: ioredis takes the command name off its own rest array. ioredis
    // sets no per-command timer unless its `commandTimeout` option is set.
    send: (_firstKey: string, args: readonly string[]) =>
      client.call(...(args as readonly string[] as [string, ...string[]])),
    // ioredis rejects with redis-errors' ReplyError for every error reply.
    isReplyError: (error: unknown) => error instanceof Error && error.name === "ReplyError",
    // A Cluster sends a pipeline to the node of its keyed commands (a keyless
    // WAIT goes along) and retries it whole on a redirect.
    ...(typeof client.pipeline === "function"
      ? {
          pipeline: async (_firstKey: string, commands: readonly (readonly string[])[]) => {
            const send = async () => {
              // call(), not pipeline(commands): that form looks the name up as a method.
              const batch = client.pipeline!();
              for (const args of commands) {
                batch.call(...(args as readonly string[] as [string, ...string[]]));
              }
              const replies = await batch.exec();
              if (replies === null) throw new Error("ioredis pipeline was discarded");
              return replies.map(([error, reply]) => error ?? reply);
            };
            const replies = await send();
            const moved = replies.some((r) => r instanceof Error && REDIRECT.test(r.message));
            if (!moved || typeof client.refreshSlotsCache !== "function") return replies;
            // The slot moved (a failover, resharding). ioredis retries a pipeline on a
            // redirect only when every command got it, and WAIT does not, so it would keep
            // the stale slot map: reload it and send the batch once more. A redirected
            // command did not run, so sending it again is safe.
            await new Promise<void>((resolve) => client.refreshSlotsCache!(() => resolve()));
            return send();
          },
        }
      : {}),
  };
}
