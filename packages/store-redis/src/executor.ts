/**
 * Options the store passes with every command.
 *
 * @example
 * ```ts
 * const options: RedisCommandOptions = { timeoutMs: 2000 };
 * ```
 */
export interface RedisCommandOptions {
  /** The store's `commandTimeout`, in milliseconds, for clients that can enforce it themselves. */
  timeoutMs: number;
}

/**
 * The whole surface of a Redis client the store needs: send one command and
 * tell a server's error reply from a transport failure. The bindings in
 * `fromNodeRedis`, `fromNodeRedisCluster` and `fromIoredis` are a few lines
 * each; write your own for any other client.
 *
 * The store only ever sends `HMGET`, `EVALSHA` and `EVAL` (after a `NOSCRIPT`
 * reply), every one with exactly one key, so a Cluster client routes each by
 * `firstKey` and never needs a cross-slot pipeline.
 *
 * @example
 * ```ts
 * const executor: RedisExecutor = {
 *   send: (firstKey, args) => myClient.command(args),
 *   isReplyError: (error) => error instanceof MyReplyError,
 * };
 * ```
 */
export interface RedisExecutor {
  /**
   * Sends `args` (command name first) and resolves to the raw reply: strings,
   * integers, `null` and arrays of those. Rejects with the client's own error.
   * The store builds a fresh `args` array for every call and never touches it
   * again, so a binding may hand it to its client without copying.
   */
  send(firstKey: string, args: readonly string[], options: RedisCommandOptions): Promise<unknown>;
  /**
   * True when `error` is an error reply from the server (`ERR`, `NOSCRIPT`,
   * `NOPERM`, `MOVED` ...), false for a transport failure (closed socket,
   * refused connection, client offline, client-side timeout).
   */
  isReplyError(error: unknown): boolean;
  /**
   * Optional; needed only by the store's `durability` option. Sends `commands`
   * back to back on the one connection to `firstKey`'s node (a pipeline: one
   * round trip) and resolves to their replies in order, an error reply in its
   * place as the client's error object (so one failed command does not hide
   * the others' replies). May reject, or put a transport error in place, when
   * the connection fails. It must not follow a `MOVED` for one command alone:
   * `WAIT` counts the replicas that have the writes of the connection it runs
   * on, so it has to run where the write ran.
   */
  pipeline?(
    firstKey: string,
    commands: readonly (readonly string[])[],
    options: RedisCommandOptions,
  ): Promise<unknown[]>;
}
