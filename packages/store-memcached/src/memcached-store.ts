import {
  type DeleteByUserOptions,
  type SessionStore,
  type SetOptions,
  type SetResult,
  StoreClosedError,
  type StoreEntry,
  type StoreEntryInput,
  StoreError,
  StoreUnavailableError,
  type UserIndex,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";
import type { CasToken, MemcachedClient } from "./client.js";
import { toExptime } from "./lib/exptime.js";
import {
  decodeIndexItem,
  decodeSessionItem,
  encodeIndexItem,
  encodeSessionItem,
  type IndexItem,
  type SessionItem,
  utf8Length,
} from "./lib/item.js";
import { indexKey, memcachedKey, validatePrefix } from "./lib/keys.js";

/**
 * Options of {@link MemcachedStore}.
 *
 * @example
 * ```ts
 * const store = new MemcachedStore({ client: memjsClient(client), prefix: "shop:sess:v1:", timeoutMs: 500 });
 * ```
 */
export interface MemcachedStoreOptions {
  /** A bound client, e.g. `memjsClient(memjs.Client.create(...))`. The store never closes it. */
  client: MemcachedClient;
  /**
   * Prepended to every key, one per application and data version: up to 100 printable ASCII
   * characters, no spaces (Memcached keys forbid whitespace and control
   * characters, protocol.txt "Keys").
   * @default "tessera:"
   */
  prefix?: string;
  /**
   * The servers' item size limit in bytes (memcached `-I`, default 1 MB).
   * A write whose item (key, header, owner and value) would exceed it rejects
   * with `ERR_STORE_VALUE_TOO_LARGE` before anything is sent.
   * @default 1048576
   */
  maxItemBytes?: number;
  /**
   * Milliseconds after which one Memcached call is abandoned with
   * `StoreUnavailableError`, whatever the client does. A backstop: set the
   * client's own timeouts (memjs `timeout`, `conntimeout`) below it.
   * @default 1000
   */
  timeoutMs?: number;
}

const DEFAULT_PREFIX = "tessera:";
const DEFAULT_MAX_ITEM_BYTES = 1_048_576;
const DEFAULT_TIMEOUT_MS = 1000;
// memcached's per-item overhead (item header, CAS, suffix, "\r\n") stays below
// this; plus our own header (version, expiresAt, generation, lengths).
const ITEM_OVERHEAD_BYTES = 64;
const HEADER_BYTES = 64;
// A user's index records each member as living this much longer than its
// session, so sliding expiry rewrites the index at most about once an hour.
const INDEX_SLACK_MS = 3_600_000;
// CAS retries before giving up under contention (each retry means another
// writer changed the item in between, so progress is being made).
const MAX_ATTEMPTS = 32;

// Recently read anonymous items per key, so that a write following a read in
// the same process can CAS directly with the token it saw (one round trip
// instead of two). Bounded; oldest entries go first.
const MAX_REMEMBERED = 10_000;

const CONFLICT: SetResult = Object.freeze({ ok: false, conflict: true }) as SetResult;

interface Hit {
  value: Uint8Array;
  cas: CasToken;
}

interface Remembered {
  cas: CasToken;
  version: number;
  expiresAt: number;
}

interface Judged {
  item: SessionItem | null;
  live: boolean;
}

function copy(item: SessionItem): StoreEntry {
  return item.userId === undefined
    ? { value: item.value, expiresAt: item.expiresAt, version: item.version }
    : { value: item.value, expiresAt: item.expiresAt, userId: item.userId, version: item.version };
}

function randomGeneration(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A Tessera session store on one or many Memcached servers.
 *
 * - Versioned writes use Memcached CAS (`gets` + `cas`, `add` to create), so a
 *   write never blindly replaces a newer version.
 * - Items carry their exact `expiresAt`; reads filter on it, and the server
 *   TTL (rounded up, converted to an absolute time beyond 30 days) only
 *   collects garbage.
 * - The per-user index (`listByUser`, `deleteByUser`) fails closed: a
 *   session is bound to a generation of its owner's index item, and when that
 *   item is evicted or lost the session no longer loads, so revocation never
 *   misses a session that is still usable. See the README for the costs.
 *
 * @example
 * ```ts
 * import memjs from "memjs";
 * import { MemcachedStore, memjsClient } from "@tessera/store-memcached";
 *
 * const client = memjs.Client.create("127.0.0.1:11211", { timeout: 0.25, retries: 1 });
 * const store = new MemcachedStore({ client: memjsClient(client) });
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * ```
 */
export class MemcachedStore implements SessionStore, UserIndex {
  readonly #client: MemcachedClient;
  readonly #prefix: string;
  readonly #maxItemBytes: number;
  readonly #timeoutMs: number;
  #closed = false;
  readonly #seen = new Map<string, Remembered>();

  constructor(options: MemcachedStoreOptions) {
    if (typeof options !== "object" || options === null) {
      throw new StoreError("ERR_STORE_INVALID_OPTION", "options are invalid: expected an object");
    }
    const { client } = options;
    if (
      typeof client !== "object" ||
      client === null ||
      typeof client.gets !== "function" ||
      typeof client.cas !== "function"
    ) {
      throw new StoreError(
        "ERR_STORE_INVALID_OPTION",
        "option client is invalid: expected a MemcachedClient (e.g. memjsClient(client))",
      );
    }
    this.#client = client;
    this.#prefix = validatePrefix(options.prefix ?? DEFAULT_PREFIX);
    const maxItemBytes = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
    if (!Number.isSafeInteger(maxItemBytes) || maxItemBytes < 1024) {
      throw new StoreError(
        "ERR_STORE_INVALID_OPTION",
        `option maxItemBytes is invalid: ${String(maxItemBytes)} (expected an integer >= 1024)`,
      );
    }
    this.#maxItemBytes = maxItemBytes;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
      throw new StoreError(
        "ERR_STORE_INVALID_OPTION",
        `option timeoutMs is invalid: ${String(timeoutMs)} (expected an integer of milliseconds >= 1)`,
      );
    }
    this.#timeoutMs = timeoutMs;
  }

  /**
   * The live entry under `key`, or `null` (missing, expired, or bound to a
   * lost or rotated user index).
   *
   * @example
   * ```ts
   * const entry = await store.get(key);
   * ```
   */
  async get(key: string): Promise<StoreEntry | null> {
    this.#open();
    const full = memcachedKey(this.#prefix, key);
    const hit = await this.#call("get", (c) => c.gets(full));
    const judged = await this.#judge(hit, Date.now());
    if (!judged.live || judged.item === null || hit === null) return null;
    if (judged.item.userId === undefined) this.#remember(full, hit.cas, judged.item);
    return copy(judged.item);
  }

  /**
   * Writes `entry` with CAS; see `SessionStore.set`.
   *
   * @example
   * ```ts
   * const result = await store.set(key, { value, expiresAt, userId }, { expectVersion: 3 });
   * ```
   */
  async set(key: string, entry: StoreEntryInput, options?: SetOptions): Promise<SetResult> {
    this.#open();
    const full = memcachedKey(this.#prefix, key);
    validateEntry(entry, Number.MAX_SAFE_INTEGER);
    const expected = validateSetOptions(options);
    const { value, expiresAt, userId } = entry;
    this.#checkSize(full, value, userId);
    const ownerKey = userId === undefined ? undefined : indexKey(this.#prefix, userId);
    const seen = this.#seen.get(full);
    if (seen !== undefined) {
      this.#seen.delete(full);
      const now = Date.now();
      // Only anonymous items: an owned one also needs its index checked. A CAS
      // with the token read at version v succeeds only if the item is still
      // exactly that version; otherwise fall through to the full read-check-CAS.
      if (
        userId === undefined &&
        expiresAt > now &&
        seen.expiresAt > now &&
        (expected === undefined || expected === seen.version)
      ) {
        const version = seen.version + 1;
        const bytes = encodeSessionItem({ value, expiresAt, version, userId, generation: "" });
        const outcome = await this.#call("set", (c) =>
          c.cas(full, bytes, toExptime(expiresAt, now), seen.cas),
        );
        if (outcome === "stored") return { ok: true, version };
      }
    }

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = Date.now();
      const writes = expiresAt > now;
      const [hit, ownerIndex] = await Promise.all([
        this.#call("get", (c) => c.gets(full)),
        writes && ownerKey !== undefined ? this.#call("get", (c) => c.gets(ownerKey)) : null,
      ]);
      const current = await this.#judge(hit, now, userId, ownerIndex);
      if (expected === 0 && current.live) return CONFLICT;
      if (expected !== undefined && expected > 0) {
        if (!current.live || current.item?.version !== expected) return CONFLICT;
      }
      if (!writes) {
        // A past expiry deletes, after the version check, and never stores.
        if (hit !== null) {
          const outcome = await this.#call("delete", (c) => c.delete(full, hit.cas));
          if (outcome === "exists") continue;
        }
        return { ok: true, version: 0 };
      }
      const version = current.live && current.item !== null ? current.item.version + 1 : 1;
      let generation = "";
      if (userId !== undefined && ownerKey !== undefined) {
        // The index learns about the key before the session exists, so a
        // listing can hold a stale key (filtered out) but never miss a live one.
        generation = (await this.#bind(ownerKey, key, expiresAt, ownerIndex, undefined)) as string;
      }
      const bytes = encodeSessionItem({ value, expiresAt, version, userId, generation });
      const exptime = toExptime(expiresAt, Date.now());
      const outcome = await this.#call("set", (c) =>
        hit === null ? c.add(full, bytes, exptime) : c.cas(full, bytes, exptime, hit.cas),
      );
      if (outcome === "stored") return { ok: true, version };
      // Someone wrote or deleted in between: read again and re-check the version.
    }
    throw this.#contention(key);
  }

  /**
   * Moves the expiry of a live entry (rewriting it with CAS, same version).
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 1_800_000);
   * ```
   */
  async touch(key: string, expiresAt: number): Promise<void> {
    this.#open();
    const full = memcachedKey(this.#prefix, key);
    validateExpiresAt(expiresAt);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = Date.now();
      const hit = await this.#call("get", (c) => c.gets(full));
      const { item, live } = await this.#judge(hit, now);
      if (hit === null || item === null || !live) return;
      if (expiresAt <= now) {
        const outcome = await this.#call("delete", (c) => c.delete(full, hit.cas));
        if (outcome === "exists") continue;
        return;
      }
      let generation = item.generation;
      if (item.userId !== undefined) {
        const bound = await this.#bind(
          indexKey(this.#prefix, item.userId),
          key,
          expiresAt,
          undefined,
          generation,
        );
        if (bound === null) return; // revoked in the meantime
        generation = bound;
      }
      const bytes = encodeSessionItem({ ...item, expiresAt, generation });
      const outcome = await this.#call("touch", (c) =>
        c.cas(full, bytes, toExptime(expiresAt, Date.now()), hit.cas),
      );
      if (outcome === "stored" || outcome === "not_found") return;
    }
    throw this.#contention(key);
  }

  /**
   * Removes `key`; resolves whether or not it existed.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  async delete(key: string): Promise<void> {
    this.#open();
    const full = memcachedKey(this.#prefix, key);
    this.#seen.delete(full);
    await this.#call("delete", (c) => c.delete(full));
  }

  /**
   * The user's live sessions, read through the user's index item.
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  async listByUser(userId: string): Promise<UserSession[]> {
    this.#open();
    validateUserId(userId);
    return (await this.#members(userId)).map(({ key, item }) => ({ key, entry: copy(item) }));
  }

  /**
   * Deletes the user's live sessions except `exceptKey` and resolves to how
   * many were deleted. Without `exceptKey` it also deletes the index item,
   * which unbinds (and so revokes) any session of the user written
   * concurrently with this call.
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
    const victims = (await this.#members(userId)).filter((m) => m.key !== except);
    const outcomes = await Promise.all(
      victims.map(({ key }) =>
        this.#call("delete", (c) => c.delete(memcachedKey(this.#prefix, key))),
      ),
    );
    if (except === undefined) {
      const ownerKey = indexKey(this.#prefix, userId);
      await this.#call("delete", (c) => c.delete(ownerKey));
    }
    // With exceptKey the deleted keys stay in the index until their recorded
    // expiry: removing them now could race with a re-creation of the same key
    // and hide it from later listings. Listings skip them (missing items).
    return outcomes.filter((o) => o === "stored").length;
  }

  /**
   * Marks the store closed; later calls reject with `StoreClosedError`. The
   * client is not closed: it belongs to the caller.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#seen.clear();
  }

  #remember(full: string, cas: CasToken, item: SessionItem): void {
    this.#seen.delete(full);
    this.#seen.set(full, { cas, version: item.version, expiresAt: item.expiresAt });
    if (this.#seen.size > MAX_REMEMBERED) {
      const oldest = this.#seen.keys().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
  }

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #checkSize(full: string, value: string, userId: string | undefined): void {
    const bytes =
      utf8Length(value) +
      (userId === undefined ? 0 : utf8Length(userId)) +
      HEADER_BYTES +
      full.length +
      ITEM_OVERHEAD_BYTES;
    if (bytes > this.#maxItemBytes) {
      throw new StoreError(
        "ERR_STORE_VALUE_TOO_LARGE",
        `entry.value is too large: the Memcached item would be ${bytes} bytes (maxItemBytes ${this.#maxItemBytes})`,
      );
    }
  }

  #contention(key: string): StoreError {
    return new StoreError(
      "ERR_STORE_BACKEND",
      `gave up after ${MAX_ATTEMPTS} CAS attempts on key ${key}: too many concurrent writers`,
    );
  }

  /** One backend call, bounded by `timeoutMs`; transport failures become `StoreUnavailableError`. */
  #call<T>(what: string, op: (client: MemcachedClient) => Promise<T>): Promise<T> {
    this.#open();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new StoreUnavailableError(`Memcached ${what} timed out after ${this.#timeoutMs} ms`),
        );
      }, this.#timeoutMs);
      let pending: Promise<T>;
      try {
        pending = op(this.#client);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(
            StoreError.isInstance(error)
              ? error
              : new StoreUnavailableError(`Memcached ${what} failed`, { cause: error }),
          );
        },
      );
    });
  }

  /**
   * Decodes a hit and decides whether it is live: not expired and, when
   * owned, bound to the current generation of its owner's index item.
   * `knownUserId`/`knownIndex` reuse an index item already fetched.
   */
  async #judge(
    hit: Hit | null,
    now: number,
    knownUserId?: string,
    knownIndex?: Hit | null,
  ): Promise<Judged> {
    if (hit === null) return { item: null, live: false };
    const item = decodeSessionItem(hit.value);
    if (item.expiresAt <= now) return { item, live: false };
    if (item.userId === undefined) return { item, live: true };
    const owner = item.userId;
    const index =
      owner === knownUserId && knownIndex !== undefined
        ? knownIndex
        : await this.#call("get", (c) => c.gets(indexKey(this.#prefix, owner)));
    const live = index !== null && decodeIndexItem(index.value).generation === item.generation;
    return { item, live };
  }

  /**
   * Makes sure `key` is a member of the index item at `ownerKey`, recorded as
   * living at least until `expiresAt`, and returns the index's generation.
   * With `require`, only an index of that generation is accepted (`null`
   * otherwise): a touch must not re-bind a session whose index was lost.
   */
  async #bind(
    ownerKey: string,
    key: string,
    expiresAt: number,
    snapshot: Hit | null | undefined,
    require: string | undefined,
  ): Promise<string | null> {
    let next: Hit | null | undefined = snapshot;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const hit = next !== undefined ? next : await this.#call("get", (c) => c.gets(ownerKey));
      next = undefined;
      const now = Date.now();
      if (hit === null) {
        if (require !== undefined) return null;
        const members: Record<string, number> = Object.create(null);
        members[key] = expiresAt + INDEX_SLACK_MS;
        const index: IndexItem = { generation: randomGeneration(), members };
        const outcome = await this.#call("index add", (c) =>
          c.add(ownerKey, this.#encodeIndex(index), toExptime(expiresAt + INDEX_SLACK_MS, now)),
        );
        if (outcome === "stored") return index.generation;
        continue;
      }
      const index = decodeIndexItem(hit.value);
      if (require !== undefined && index.generation !== require) return null;
      const recorded = index.members[key];
      if (recorded !== undefined && recorded >= expiresAt) return index.generation;
      let latest = expiresAt + INDEX_SLACK_MS;
      for (const [member, until] of Object.entries(index.members)) {
        // Only time-based pruning here: a member whose session is merely missing
        // may be in the middle of being written by another request.
        if (until <= now) delete index.members[member];
        else if (until > latest) latest = until;
      }
      index.members[key] = expiresAt + INDEX_SLACK_MS;
      const outcome = await this.#call("index cas", (c) =>
        c.cas(ownerKey, this.#encodeIndex(index), toExptime(latest, now), hit.cas),
      );
      if (outcome === "stored") return index.generation;
    }
    throw this.#contention(ownerKey);
  }

  #encodeIndex(index: IndexItem): Uint8Array {
    const bytes = encodeIndexItem(index);
    if (bytes.length + ITEM_OVERHEAD_BYTES + 100 > this.#maxItemBytes) {
      throw new StoreError(
        "ERR_STORE_VALUE_TOO_LARGE",
        `a user's index item would be ${bytes.length} bytes (maxItemBytes ${this.#maxItemBytes}): too many live sessions for one user`,
      );
    }
    return bytes;
  }

  /** The user's live sessions, each bound to the index's current generation. */
  async #members(userId: string): Promise<Array<{ key: string; item: SessionItem }>> {
    const hit = await this.#call("get", (c) => c.gets(indexKey(this.#prefix, userId)));
    if (hit === null) return [];
    const index = decodeIndexItem(hit.value);
    const keys = Object.keys(index.members).filter((key) => {
      try {
        validateKey(key);
        return true;
      } catch {
        return false;
      }
    });
    const hits = await Promise.all(
      keys.map((key) => this.#call("get", (c) => c.gets(memcachedKey(this.#prefix, key)))),
    );
    const now = Date.now();
    const out: Array<{ key: string; item: SessionItem }> = [];
    hits.forEach((member, i) => {
      if (member === null) return;
      const item = decodeSessionItem(member.value);
      if (item.expiresAt > now && item.userId === userId && item.generation === index.generation) {
        out.push({ key: keys[i] as string, item });
      }
    });
    return out;
  }
}
