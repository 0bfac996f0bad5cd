import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "@tessera/store";
import { StoreError } from "@tessera/store";
import { CheckedStore, storeEntry } from "@tessera/store/driver";
import type { RedisExecutor } from "./executor.js";
import { command, runScript, type Wait } from "./lib/call.js";
import { type RedisStoreOptions, resolveOptions } from "./lib/options.js";
import { SCRIPTS, type Script } from "./lib/scripts.js";
import { fnv1a, shardTags } from "./lib/slots.js";

export type { RedisDurability, RedisStoreOptions } from "./lib/options.js";

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
 * `close()` only marks the store closed: calls in flight still settle (or
 * time out, each on its own timer), and the client stays yours to `quit()`.
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
export class RedisStore extends CheckedStore {
  /** The key prefix in use. */
  readonly prefix: string;
  /** The per-call timeout in milliseconds. */
  readonly commandTimeout: number;
  readonly #client: RedisExecutor;
  readonly #tags: readonly string[];
  readonly #wait: Wait | undefined;

  constructor(options: RedisStoreOptions) {
    const resolved = resolveOptions(options);
    super(resolved.maxValueBytes);
    this.#client = resolved.client;
    this.prefix = resolved.prefix;
    this.commandTimeout = resolved.commandTimeout;
    this.#tags = shardTags(resolved.shards);
    this.#wait = resolved.wait;
  }

  /** `<prefix>{<tag>}:` of the shard that holds `key`. */
  #base(key: string): string {
    return `${this.prefix}{${this.#tags[fnv1a(key) % this.#tags.length]}}:`;
  }

  /**
   * `script` on the user's index in every shard, sent together: KEYS[1] the
   * index, ARGV now, the shard's base, the user id, then `extra`.
   */
  #everyShard(
    script: Script,
    userId: string,
    extra: readonly string[],
    wait: Wait | undefined,
  ): Promise<unknown[]> {
    const now = String(Date.now());
    return Promise.all(
      this.#tags.map((tag) => {
        const base = `${this.prefix}{${tag}}:`;
        const ix = `${base}u:${userId}`;
        const args = ["EVALSHA", script.sha, "1", ix, now, base, userId, ...extra];
        return runScript(this.#client, script, ix, args, this.commandTimeout, wait);
      }),
    );
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
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const redisKey = this.#base(key) + key;
    const reply = await command(
      this.#client,
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
    const userId = text(reply[2]) ?? undefined;
    return storeEntry(value, expiresAt, Number(text(reply[3])), userId);
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
  protected override async setEntry(
    key: string,
    entry: StoreEntryInput,
    expected: number | undefined,
  ): Promise<SetResult> {
    const redisKey = this.#base(key) + key;
    const reply = await runScript(
      this.#client,
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
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    const redisKey = this.#base(key) + key;
    await runScript(
      this.#client,
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
  protected override async deleteEntry(key: string): Promise<void> {
    const base = this.#base(key);
    const redisKey = base + key;
    await runScript(
      this.#client,
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
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    const replies = await this.#everyShard(SCRIPTS.list, userId, [], undefined);
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
  protected override async deleteUserEntries(
    userId: string,
    except: string | undefined,
  ): Promise<number> {
    const replies = await this.#everyShard(SCRIPTS.deleteUser, userId, [except ?? ""], this.#wait);
    return replies.reduce<number>((sum, reply) => sum + integer(reply, "deleteByUser script"), 0);
  }
}
