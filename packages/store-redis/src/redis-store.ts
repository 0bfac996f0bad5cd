import {
  type DeleteByUserOptions,
  type SessionStore,
  type SetOptions,
  type SetResult,
  StoreClosedError,
  type StoreEntry,
  type StoreEntryInput,
  StoreError,
  type UserIndexedStore,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";
import type { RedisExecutor } from "./executor.js";
import { command, runScript, type Wait } from "./lib/call.js";
import { Deadlines } from "./lib/deadlines.js";
import { SCRIPTS } from "./lib/scripts.js";
import { fnv1a, shardTags } from "./lib/slots.js";

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

// Printable ASCII minus the hash-tag braces and the glob metacharacters.
const PREFIX = /^[\x21-\x29\x2b-\x3e\x40-\x5a\x5e-\x7a\x7c\x7e]{1,128}$/;

function invalid(name: string, value: unknown, expected: string): StoreError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new StoreError(
    "ERR_STORE_INVALID_OPTION",
    `option ${name} is invalid: ${shown} (${expected})`,
  );
}

function integerOption(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(name, value, `expected an integer from ${min} to ${max}`);
  }
  return value;
}

function durabilityOption(
  value: RedisDurability | undefined,
  client: RedisExecutor,
  commandTimeout: number,
): Wait | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) {
    throw invalid("durability", value, "expected { replicas, timeoutMs }");
  }
  const replicas = integerOption("durability.replicas", value.replicas ?? Number.NaN, 0, 1, 64);
  if (commandTimeout < 2) {
    throw invalid("commandTimeout", commandTimeout, "expected at least 2 with durability");
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
    throw invalid(
      "durability",
      "a client without pipeline",
      "needs fromNodeRedis, fromNodeRedisCluster, fromIoredis or a binding with pipeline()",
    );
  }
  return Object.freeze({ replicas, timeoutMs });
}

function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "string") return reply;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  return String(reply);
}

function backend(message: string): StoreError {
  return new StoreError("ERR_STORE_BACKEND", message);
}

function integer(reply: unknown, what: string): number {
  const n = typeof reply === "number" ? reply : Number(text(reply));
  if (!Number.isSafeInteger(n)) throw backend(`redis ${what}: unexpected reply ${String(reply)}`);
  return n;
}

/**
 * A Tessera session store on Redis, standalone or Cluster, through node-redis
 * or ioredis (see {@link fromNodeRedis}, {@link fromIoredis}). It never opens
 * or closes connections: it uses the client you created and connected.
 *
 * Round trips: `get` is one `HMGET`; `set`, `touch` and `delete` are one
 * `EVALSHA` each (plus one `EVAL` the first time a node lacks the script).
 * Writes are atomic Lua scripts: the version check, the value, its
 * `PEXPIREAT` and the owner's index change together or not at all.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { RedisStore, fromNodeRedis } from "@tessera/store-redis";
 *
 * const client = createClient({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true });
 * client.on("error", () => {});
 * await client.connect();
 * const store = new RedisStore({ client: fromNodeRedis(client), prefix: "myapp:sess:" });
 * await store.set("k1", { value: "{}", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * ```
 */
export class RedisStore implements SessionStore, UserIndexedStore {
  /** The key prefix in use. */
  readonly prefix: string;
  /** The per-call timeout in milliseconds. */
  readonly commandTimeout: number;
  readonly #client: RedisExecutor;
  readonly #maxValueBytes: number;
  readonly #tags: readonly string[];
  readonly #deadlines = new Deadlines();
  readonly #wait: Wait | undefined;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    if (typeof options !== "object" || options === null) {
      throw invalid("options", options, "expected an object with a client");
    }
    const client = options.client;
    if (
      typeof client !== "object" ||
      client === null ||
      typeof client.send !== "function" ||
      typeof client.isReplyError !== "function"
    ) {
      throw invalid(
        "client",
        client,
        "expected fromNodeRedis(client), fromNodeRedisCluster(cluster) or fromIoredis(client)",
      );
    }
    const prefix = options.prefix ?? "tessera:";
    if (typeof prefix !== "string" || !PREFIX.test(prefix)) {
      throw invalid(
        "prefix",
        prefix,
        "expected 1-128 printable ASCII characters without { } * ? [ ] \\ or spaces",
      );
    }
    this.#client = client;
    this.prefix = prefix;
    this.commandTimeout = integerOption("commandTimeout", options.commandTimeout, 2000, 1, 600_000);
    this.#maxValueBytes = integerOption(
      "maxValueBytes",
      options.maxValueBytes,
      1_048_576,
      1,
      512 * 1_048_576,
    );
    this.#tags = shardTags(integerOption("shards", options.shards, 16, 1, 1024));
    this.#wait = durabilityOption(options.durability, client, this.commandTimeout);
  }

  /** `<prefix>{<tag>}:` of the shard that holds `key`. */
  #base(key: string): string {
    return `${this.prefix}{${this.#tags[fnv1a(key) % this.#tags.length]}}:`;
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /**
   * The live entry under `key`, or `null`. One `HMGET`; an entry at or past
   * its `expiresAt` is `null` even if Redis has not expired the key yet.
   *
   * @example
   * ```ts
   * const entry = await store.get(key); // { value, expiresAt, userId?, version } | null
   * ```
   */
  async get(key: string): Promise<StoreEntry | null> {
    this.#open();
    validateKey(key);
    const redisKey = this.#base(key) + key;
    const reply = await command(
      this.#client,
      this.#deadlines,
      redisKey,
      ["HMGET", redisKey, "v", "e", "u", "n"],
      this.commandTimeout,
    );
    if (!Array.isArray(reply)) throw backend(`redis HMGET: unexpected reply ${String(reply)}`);
    const value = text(reply[0]);
    const expires = text(reply[1]);
    if (value === null || expires === null) return null;
    const expiresAt = Number(expires);
    if (!(expiresAt > Date.now())) return null;
    const userId = text(reply[2]);
    const version = Number(text(reply[3]));
    return userId === null ? { value, expiresAt, version } : { value, expiresAt, userId, version };
  }

  /**
   * Writes `entry`, optionally only if the live version equals
   * `expectVersion` (0: create only). One atomic `EVALSHA`.
   *
   * @example
   * ```ts
   * const result = await store.set(key, { value, expiresAt, userId }, { expectVersion: 3 });
   * if (!result.ok) console.log("someone else wrote first");
   * ```
   */
  async set(key: string, entry: StoreEntryInput, options?: SetOptions): Promise<SetResult> {
    this.#open();
    validateKey(key);
    validateEntry(entry, this.#maxValueBytes);
    const expected = validateSetOptions(options);
    const redisKey = this.#base(key) + key;
    const reply = await runScript(
      this.#client,
      this.#deadlines,
      SCRIPTS.set,
      redisKey,
      [
        "EVALSHA",
        SCRIPTS.set.sha,
        "1",
        redisKey,
        entry.value,
        String(entry.expiresAt),
        entry.userId ?? "",
        expected === undefined ? "" : String(expected),
        String(Date.now()),
      ],
      this.commandTimeout,
      this.#wait,
    );
    const version = integer(reply, "set script");
    return version < 0 ? { ok: false, conflict: true } : { ok: true, version };
  }

  /**
   * Moves the expiry of a live entry (and its index entry); a no-op on a
   * missing or expired key; `expiresAt <= now` deletes. One `EVALSHA`.
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 30 * 60_000);
   * ```
   */
  async touch(key: string, expiresAt: number): Promise<void> {
    this.#open();
    validateKey(key);
    validateExpiresAt(expiresAt);
    const redisKey = this.#base(key) + key;
    await runScript(
      this.#client,
      this.#deadlines,
      SCRIPTS.touch,
      redisKey,
      ["EVALSHA", SCRIPTS.touch.sha, "1", redisKey, String(expiresAt), String(Date.now())],
      this.commandTimeout,
      this.#wait,
    );
  }

  /**
   * Removes `key` and its index entry; idempotent. One `EVALSHA`.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key);
    const base = this.#base(key);
    const redisKey = base + key;
    await runScript(
      this.#client,
      this.#deadlines,
      SCRIPTS.delete,
      redisKey,
      ["EVALSHA", SCRIPTS.delete.sha, "1", redisKey, `${base}u:`, key],
      this.commandTimeout,
      this.#wait,
    );
  }

  /**
   * The live entries `userId` owns. One script per shard (sent together);
   * each drops the index members that expired or changed owner.
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  async listByUser(userId: string): Promise<UserSession[]> {
    this.#open();
    validateUserId(userId);
    const now = String(Date.now());
    const replies = await Promise.all(
      this.#tags.map((tag) => {
        const base = `${this.prefix}{${tag}}:`;
        const ix = `${base}u:${userId}`;
        return runScript(
          this.#client,
          this.#deadlines,
          SCRIPTS.list,
          ix,
          ["EVALSHA", SCRIPTS.list.sha, "1", ix, now, base, userId],
          this.commandTimeout,
        );
      }),
    );
    const out: UserSession[] = [];
    for (const reply of replies) {
      if (!Array.isArray(reply)) throw backend(`redis list script: unexpected reply`);
      for (let i = 0; i + 3 < reply.length; i += 4) {
        out.push({
          key: text(reply[i])!,
          entry: {
            value: text(reply[i + 1])!,
            expiresAt: Number(text(reply[i + 2])),
            userId,
            version: Number(text(reply[i + 3])),
          },
        });
      }
    }
    return out;
  }

  /**
   * Deletes `userId`'s live entries except `exceptKey` ("log out
   * everywhere"); resolves to how many it deleted. One script per shard.
   *
   * @example
   * ```ts
   * await store.deleteByUser("u1", { exceptKey: currentKey });
   * ```
   */
  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    this.#open();
    validateUserId(userId);
    const except = options.exceptKey;
    if (except !== undefined) validateKey(except);
    const now = String(Date.now());
    const replies = await Promise.all(
      this.#tags.map((tag) => {
        const base = `${this.prefix}{${tag}}:`;
        const ix = `${base}u:${userId}`;
        return runScript(
          this.#client,
          this.#deadlines,
          SCRIPTS.deleteUser,
          ix,
          ["EVALSHA", SCRIPTS.deleteUser.sha, "1", ix, now, base, userId, except ?? ""],
          this.commandTimeout,
          this.#wait,
        );
      }),
    );
    return replies.reduce<number>((sum, reply) => sum + integer(reply, "deleteByUser script"), 0);
  }

  /**
   * Marks the store closed: every later call rejects with
   * `StoreClosedError`. Calls already in flight still settle (or time out);
   * the store's timeout timer stops once they have. The client stays open;
   * it is yours to `quit()`.
   *
   * @example
   * ```ts
   * await store.close();
   * await client.quit();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#deadlines.close();
  }
}
