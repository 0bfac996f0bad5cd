import {
  type DeleteByUserOptions,
  MIN_VALUE_BYTES,
  type SessionStore,
  type SetOptions,
  type SetResult,
  StoreClosedError,
  type StoreEntry,
  type StoreEntryInput,
  StoreError,
  type StoreErrorCode,
  StoreUnavailableError,
  type UserIndex,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";
import type { DurableObjectNamespaceLike, DurableObjectStubLike } from "./cloudflare.js";
import { type Call, MAX_VALUE_BYTES_LIMIT, type Op, ORIGIN, PATH } from "./lib/protocol.js";

/**
 * Options of {@link DurableObjectStore}.
 *
 * @example
 * ```ts
 * const options: DurableObjectStoreOptions = { namespace: env.SESSIONS, shards: 16 };
 * ```
 */
export interface DurableObjectStoreOptions {
  /** The Durable Object namespace binding of {@link SessionStoreObject} (`env.SESSIONS`). */
  namespace: DurableObjectNamespaceLike;
  /**
   * Name of the objects' family: object `i` is `idFromName("<name>:<i>")`.
   * 1 to 64 printable ASCII characters. Part of where sessions live: every
   * Worker sharing the sessions must use the same name and shard count.
   * @default "tessera-sessions"
   */
  name?: string;
  /**
   * How many objects the sessions are spread over, by a hash of the key: 1 to
   * 32. One object serves about a thousand requests a second, so this sets the
   * store's throughput; "log out everywhere" asks every object once. Fixed for
   * the life of the data: changing it moves keys to other objects, which logs
   * everyone out once.
   * @default 16
   */
  shards?: number;
  /**
   * Largest value accepted, in UTF-8 bytes, from 1 to 1,000,000; larger values
   * reject with `ERR_STORE_VALUE_TOO_LARGE` before any request. Objects
   * declared with `new_classes` (key-value storage) hold at most 128 KiB per
   * entry: keep the default there.
   * @default 65536
   */
  maxValueBytes?: number;
  /**
   * Milliseconds one Durable Object request may take before the store call
   * rejects with `StoreUnavailableError`. The request itself is not cancelled:
   * a write that timed out may still be applied.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * The clock, in epoch milliseconds, sent with every request: the object
   * decides expiry on it, so the store agrees with the session manager. Its
   * alarm reclaims storage on its own clock.
   * @default Date.now
   */
  now?: () => number;
}

const DEFAULT_NAME = "tessera-sessions";
const DEFAULT_SHARDS = 16;
// Every object is asked once by listByUser and deleteByUser; Workers allow 50
// subrequests per invocation on the Free plan.
const MAX_SHARDS = 32;
const DEFAULT_TIMEOUT_MS = 5000;
const NAME = /^[\x20-\x7e]{1,64}$/;
const encoder = new TextEncoder();

const STORE_CODES: ReadonlySet<string> = new Set<StoreErrorCode>([
  "ERR_STORE_INVALID_KEY",
  "ERR_STORE_INVALID_VALUE",
  "ERR_STORE_VALUE_TOO_LARGE",
  "ERR_STORE_INVALID_EXPIRY",
  "ERR_STORE_INVALID_VERSION",
  "ERR_STORE_INVALID_USER_ID",
  "ERR_STORE_BACKEND",
]);

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

function malformed(op: Op, what: string): StoreError {
  return new StoreError(
    "ERR_STORE_BACKEND",
    `the session store object answered ${op} with ${what}`,
  );
}

function isEntry(value: unknown): value is StoreEntry {
  const e = value as StoreEntry | null;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.value === "string" &&
    Number.isSafeInteger(e.expiresAt) &&
    Number.isSafeInteger(e.version) &&
    e.version >= 1 &&
    (e.userId === undefined || typeof e.userId === "string")
  );
}

function copy(entry: StoreEntry): StoreEntry {
  return entry.userId === undefined
    ? { value: entry.value, expiresAt: entry.expiresAt, version: entry.version }
    : {
        value: entry.value,
        expiresAt: entry.expiresAt,
        userId: entry.userId,
        version: entry.version,
      };
}

/**
 * A Tessera session store on Cloudflare Durable Objects, for Workers.
 *
 * Sessions are spread over a fixed number of objects ({@link SessionStoreObject})
 * by a SHA-256 hash of the key, so a load costs one Durable Object request and
 * a commit one more; each object keeps its sessions, their per-user index and
 * their expiry queue in its own strongly consistent storage, and decides each
 * compare-and-set alone. `listByUser` and `deleteByUser` ("log out
 * everywhere") ask every object once, in parallel.
 *
 * A failed, refused or timed-out object request rejects with
 * `StoreUnavailableError` (503 through the adapters), never "no session".
 *
 * @example
 * ```ts
 * import { DurableObjectStore } from "@tessera/store-cloudflare";
 *
 * const store = new DurableObjectStore({ namespace: env.SESSIONS });
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * ```
 */
export class DurableObjectStore implements SessionStore, UserIndex {
  /** The objects' family name. */
  readonly name: string;
  /** How many objects the sessions are spread over. */
  readonly shards: number;
  /** The largest value accepted, in UTF-8 bytes. */
  readonly maxValueBytes: number;
  /** The per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly #namespace: DurableObjectNamespaceLike;
  readonly #now: () => number;
  #closed = false;

  constructor(options: DurableObjectStoreOptions) {
    if (typeof options !== "object" || options === null) {
      throw invalid("options", options, "expected an object with a namespace");
    }
    const ns = options.namespace;
    if (
      typeof ns !== "object" ||
      ns === null ||
      typeof ns.idFromName !== "function" ||
      typeof ns.get !== "function"
    ) {
      throw invalid(
        "namespace",
        ns,
        "expected the Durable Object namespace binding of SessionStoreObject, e.g. env.SESSIONS",
      );
    }
    this.#namespace = ns;
    const name = options.name ?? DEFAULT_NAME;
    if (typeof name !== "string" || !NAME.test(name)) {
      throw invalid("name", name, "expected 1-64 printable ASCII characters");
    }
    this.name = name;
    this.shards = integerOption("shards", options.shards, DEFAULT_SHARDS, 1, MAX_SHARDS);
    this.maxValueBytes = integerOption(
      "maxValueBytes",
      options.maxValueBytes,
      MIN_VALUE_BYTES,
      1,
      MAX_VALUE_BYTES_LIMIT,
    );
    this.timeoutMs = integerOption(
      "timeoutMs",
      options.timeoutMs,
      DEFAULT_TIMEOUT_MS,
      1,
      2_147_483_647,
    );
    if (options.now !== undefined && typeof options.now !== "function") {
      throw invalid("now", typeof options.now, "expected a function returning epoch milliseconds");
    }
    this.#now = options.now ?? Date.now;
  }

  /**
   * The live entry under `key`, or `null`: one request to the key's object.
   *
   * @example
   * ```ts
   * const entry = await store.get(key); // { value, expiresAt, userId?, version } | null
   * ```
   */
  async get(key: string): Promise<StoreEntry | null> {
    this.#open();
    validateKey(key);
    const result = await this.#call(await this.#shardOf(key), "get", { key });
    if (result === null) return null;
    if (!isEntry(result)) throw malformed("get", "something that is not an entry");
    return copy(result);
  }

  /**
   * Writes `entry`, optionally only if the live version equals
   * `expectVersion` (0: create only): one request, decided by the key's
   * object alone.
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
    validateEntry(entry, this.maxValueBytes);
    const expectVersion = validateSetOptions(options);
    const call: Omit<Call, "now"> = { key, value: entry.value, expiresAt: entry.expiresAt };
    if (entry.userId !== undefined) call.userId = entry.userId;
    if (expectVersion !== undefined) call.expectVersion = expectVersion;
    const result = (await this.#call(await this.#shardOf(key), "set", call)) as SetResult | null;
    if (result?.ok === true && Number.isSafeInteger(result.version) && result.version >= 0) {
      return { ok: true, version: result.version };
    }
    if (result?.ok === false && result.conflict === true) return { ok: false, conflict: true };
    throw malformed("set", "something that is not a SetResult");
  }

  /**
   * Moves the expiry of a live entry; a no-op on a missing or expired key;
   * `expiresAt <= now` deletes. One request.
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
    await this.#call(await this.#shardOf(key), "touch", { key, expiresAt });
  }

  /**
   * Removes `key` (and its index and expiry entries); idempotent. One request.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key);
    await this.#call(await this.#shardOf(key), "delete", { key });
  }

  /**
   * The live entries `userId` owns, from every object (one request each, in parallel).
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  async listByUser(userId: string): Promise<UserSession[]> {
    this.#open();
    validateUserId(userId);
    const answers = await this.#everyShard("list", { userId });
    const out: UserSession[] = [];
    for (const answer of answers) {
      if (!Array.isArray(answer)) throw malformed("list", "something that is not a list");
      for (const item of answer as UserSession[]) {
        if (typeof item?.key !== "string" || !isEntry(item.entry)) {
          throw malformed("list", "an item that is not a session");
        }
        out.push({ key: item.key, entry: copy(item.entry) });
      }
    }
    return out;
  }

  /**
   * Deletes `userId`'s live entries except `exceptKey` on every object (one
   * request each, in parallel) and resolves to how many it deleted.
   *
   * @example
   * ```ts
   * await store.deleteByUser("u1", { exceptKey: currentKey }); // "log out everywhere else"
   * ```
   */
  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    this.#open();
    validateUserId(userId);
    const except = options?.exceptKey;
    if (except !== undefined) validateKey(except);
    const call: Omit<Call, "now"> = { userId };
    if (except !== undefined) call.exceptKey = except;
    const answers = await this.#everyShard("deleteByUser", call);
    let total = 0;
    for (const answer of answers) {
      if (typeof answer !== "number" || !Number.isSafeInteger(answer) || answer < 0) {
        throw malformed("deleteByUser", "something that is not a count");
      }
      total += answer;
    }
    return total;
  }

  /**
   * Marks the store closed: every later call rejects with `StoreClosedError`.
   * The objects keep their sessions.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  /** The object a key lives in: the first four bytes of SHA-256(key), modulo the shard count. */
  async #shardOf(key: string): Promise<number> {
    if (this.shards === 1) return 0;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(key)));
    const head =
      ((digest[0] as number) << 24) |
      ((digest[1] as number) << 16) |
      ((digest[2] as number) << 8) |
      (digest[3] as number);
    return (head >>> 0) % this.shards;
  }

  async #everyShard(op: Op, call: Omit<Call, "now">): Promise<unknown[]> {
    return Promise.all(
      Array.from({ length: this.shards }, (_, shard) => this.#call(shard, op, call)),
    );
  }

  /** One request to one object, bounded by `timeoutMs`. */
  async #call(shard: number, op: Op, call: Omit<Call, "now">): Promise<unknown> {
    this.#open();
    const body = JSON.stringify({ ...call, now: this.#now() } satisfies Call);
    let response: Response;
    try {
      // A stub per call: stubs may not outlive the request that made them.
      const stub: DurableObjectStubLike = this.#namespace.get(
        this.#namespace.idFromName(`${this.name}:${shard}`),
      );
      const request = new Request(`${ORIGIN}${PATH}${op}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      response = await this.#bounded(op, () => stub.fetch(request));
    } catch (error) {
      if (StoreError.isInstance(error)) throw error;
      throw new StoreUnavailableError(`Durable Object ${op} request failed`, { cause: error });
    }
    let answer: { result?: unknown; error?: { code?: unknown; message?: unknown } };
    try {
      answer = (await this.#bounded(op, () => response.json())) as typeof answer;
    } catch (error) {
      if (StoreError.isInstance(error)) throw error;
      // Not our object's JSON (the runtime's own error page, an overloaded object).
      throw new StoreUnavailableError(`Durable Object ${op} answered ${response.status}`, {
        cause: error,
      });
    }
    if (
      response.status === 200 &&
      answer !== null &&
      typeof answer === "object" &&
      "result" in answer
    ) {
      return answer.result;
    }
    const code = answer?.error?.code;
    if (typeof code === "string" && STORE_CODES.has(code)) {
      throw new StoreError(code as StoreErrorCode, String(answer.error?.message ?? code));
    }
    throw new StoreUnavailableError(`Durable Object ${op} answered ${response.status}`);
  }

  #bounded<T>(op: Op, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new StoreUnavailableError(`Durable Object ${op} timed out after ${this.timeoutMs} ms`),
        );
      }, this.timeoutMs);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(run());
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
