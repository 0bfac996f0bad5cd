import { bindingOption, integerOption, optionError, stringOption } from "@tessera/store/driver";
import type { RedisExecutor } from "../executor.js";
import type { Wait } from "./call.js";

/**
 * Options of {@link RedisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { client: fromNodeRedis(client), prefix: "myapp:sess:v1:", commandTimeout: 1000 };
 * ```
 */
export interface RedisStoreOptions {
  /** The bound client: `fromNodeRedis(client)`, `fromNodeRedisCluster(cluster)` or `fromIoredis(client)`. */
  client: RedisExecutor;
  /**
   * Prefix of every key the store writes, one per application and data version: 1 to 128
   * printable ASCII characters without `{`, `}` (they would change the Cluster
   * hash tag) or the glob characters `* ? [ ] \` (they would widen an ACL key
   * pattern `~<prefix>*`). Use one per application and data format version.
   * @default "tessera:"
   */
  prefix?: string;
  /**
   * Milliseconds one store call may take before it rejects with
   * `StoreUnavailableError`.
   * @default 2000
   */
  commandTimeout?: number;
  /**
   * Number of hash-tag shards, 1 to 1024. A session and its owner's index
   * entry live in the shard's slot, which makes every write one atomic script;
   * `listByUser`/`deleteByUser` send one command per shard. More shards spread
   * sessions over more Cluster slots (and masters); fewer make user listing
   * cheaper. Changing it moves every key: treat it like the prefix.
   * @default 16
   */
  shards?: number;
  /**
   * Largest value accepted, in UTF-8 bytes; larger values reject with
   * `ERR_STORE_VALUE_TOO_LARGE` before any network I/O.
   * @default 1048576
   */
  maxValueBytes?: number;
  /**
   * Opt-in: a write (`set`, `touch`, `delete`, `deleteByUser`) succeeds only
   * once `replicas` replicas of its node have it, checked with
   * `WAIT replicas timeoutMs` pipelined behind the write (no extra round
   * trip). Fewer acknowledgements within `timeoutMs` reject with
   * `StoreUnavailableError` (503): Redis replication is asynchronous, and
   * without this a failover can lose writes a user was already told
   * succeeded. A master with fewer reachable replicas then refuses session
   * writes. Needs a binding with `pipeline` (all three built-in ones).
   * @default undefined (no WAIT)
   */
  durability?: RedisDurability;
}

/**
 * The `durability` option of {@link RedisStoreOptions}.
 *
 * @example
 * ```ts
 * const durability: RedisDurability = { replicas: 1, timeoutMs: 100 };
 * ```
 */
export interface RedisDurability {
  /** Replicas that must acknowledge each write, 1 to 64. */
  replicas: number;
  /** Milliseconds `WAIT` blocks at most, 1 to `commandTimeout - 1`. */
  timeoutMs: number;
}

/** The options, checked, with their defaults. */
export interface ResolvedOptions {
  readonly client: RedisExecutor;
  readonly prefix: string;
  readonly commandTimeout: number;
  readonly maxValueBytes: number;
  readonly shards: number;
  readonly wait: Wait | undefined;
}

// Printable ASCII minus the hash-tag braces and the glob metacharacters.
const PREFIX = /^[\x21-\x29\x2b-\x3e\x40-\x5a\x5e-\x7a\x7c\x7e]{1,128}$/;

function durabilityOption(
  value: RedisDurability | undefined,
  client: RedisExecutor,
  commandTimeout: number,
): Wait | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) {
    throw optionError("durability", value, "expected { replicas, timeoutMs }");
  }
  const replicas = integerOption("durability.replicas", value.replicas ?? Number.NaN, 0, 1, 64);
  if (commandTimeout < 2) {
    throw optionError("commandTimeout", commandTimeout, "expected at least 2 with durability");
  }
  // WAIT 0 would block forever; a WAIT as long as the call's own timeout would
  // turn every missing acknowledgement into a client-side timeout.
  const timeoutMs = integerOption(
    "durability.timeoutMs",
    value.timeoutMs ?? Number.NaN,
    0,
    1,
    commandTimeout - 1,
  );
  if (typeof client.pipeline !== "function") {
    throw optionError(
      "durability",
      "a client without pipeline",
      "needs fromNodeRedis, fromNodeRedisCluster, fromIoredis or a binding with pipeline()",
    );
  }
  return Object.freeze({ replicas, timeoutMs });
}

/**
 * Checks every option; throws `ERR_STORE_INVALID_OPTION` naming the first bad
 * one. A `null` prefix takes the default, as it always has.
 */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  const client = bindingOption<RedisExecutor>(
    options,
    "client",
    ["send", "isReplyError"],
    "expected fromNodeRedis(client), fromNodeRedisCluster(cluster) or fromIoredis(client)",
  );
  const commandTimeout = integerOption("commandTimeout", options.commandTimeout, 2000, 1, 600_000);
  return {
    client,
    prefix: stringOption(
      "prefix",
      options.prefix ?? undefined,
      "tessera:",
      PREFIX,
      "expected 1-128 printable ASCII characters without { } * ? [ ] \\ or spaces",
    ),
    commandTimeout,
    maxValueBytes: integerOption(
      "maxValueBytes",
      options.maxValueBytes,
      1_048_576,
      1,
      512 * 1_048_576,
    ),
    shards: integerOption("shards", options.shards, 16, 1, 1024),
    wait: durabilityOption(options.durability, client, commandTimeout),
  };
}
