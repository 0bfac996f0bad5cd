import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "@tessera/store";
import { StoreError } from "@tessera/store";
import {
  backendCall,
  CheckedStore,
  RecentlySeen,
  storeEntry,
  utf8ByteLength,
} from "@tessera/store/driver";
import type { CasToken, MemcachedClient } from "./client.js";
import { toExptime } from "./lib/exptime.js";
import { encodeSessionItem, type SessionItem } from "./lib/item.js";
import { indexKey, memcachedKey } from "./lib/keys.js";
import { type MemcachedStoreOptions, resolveOptions } from "./lib/options.js";
import { contention, ITEM_OVERHEAD_BYTES, MAX_ATTEMPTS, UserIndexItems } from "./lib/user-index.js";

export type { MemcachedStoreOptions } from "./lib/options.js";

// Our own header per item (version, expiresAt, generation, lengths) stays below this.
const HEADER_BYTES = 64;
// Recently read anonymous items per key, so that a write following a read in
// the same process can CAS directly with the token it saw (one round trip
// instead of two). Bounded; oldest entries go first.
const MAX_REMEMBERED = 10_000;

const CONFLICT: SetResult = Object.freeze({ ok: false, conflict: true }) as SetResult;

interface Remembered {
  cas: CasToken;
  version: number;
  expiresAt: number;
}

function copy(item: SessionItem): StoreEntry {
  return storeEntry(item.value, item.expiresAt, item.version, item.userId);
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
export class MemcachedStore extends CheckedStore {
  readonly #client: MemcachedClient;
  readonly #prefix: string;
  readonly #maxItemBytes: number;
  readonly #timeoutMs: number;
  readonly #index: UserIndexItems;
  readonly #seen = new RecentlySeen<Remembered>(MAX_REMEMBERED);

  constructor(options: MemcachedStoreOptions) {
    const resolved = resolveOptions(options);
    // A value can be no larger than a whole item; #checkSize counts the rest of it.
    super(resolved.maxItemBytes);
    this.#client = resolved.client;
    this.#prefix = resolved.prefix;
    this.#maxItemBytes = resolved.maxItemBytes;
    this.#timeoutMs = resolved.timeoutMs;
    this.#index = new UserIndexItems(
      (what, op) => this.#call(what, op),
      this.#prefix,
      this.#maxItemBytes,
    );
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
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const full = memcachedKey(this.#prefix, key);
    const hit = await this.#call("get", (c) => c.gets(full));
    const judged = await this.#index.judge(hit, Date.now());
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
  protected override async setEntry(
    key: string,
    entry: StoreEntryInput,
    expected: number | undefined,
  ): Promise<SetResult> {
    const full = memcachedKey(this.#prefix, key);
    const { value, expiresAt, userId } = entry;
    this.#checkSize(full, value, userId);
    const ownerKey = userId === undefined ? undefined : indexKey(this.#prefix, userId);
    const seen = this.#seen.take(full);
    if (seen !== undefined) {
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
      const current = await this.#index.judge(hit, now, userId, ownerIndex);
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
        generation = (await this.#index.bind(
          ownerKey,
          key,
          expiresAt,
          ownerIndex,
          undefined,
        )) as string;
      }
      const bytes = encodeSessionItem({ value, expiresAt, version, userId, generation });
      const exptime = toExptime(expiresAt, Date.now());
      const outcome = await this.#call("set", (c) =>
        hit === null ? c.add(full, bytes, exptime) : c.cas(full, bytes, exptime, hit.cas),
      );
      if (outcome === "stored") return { ok: true, version };
      // Someone wrote or deleted in between: read again and re-check the version.
    }
    throw contention(key);
  }

  /**
   * Moves the expiry of a live entry (rewriting it with CAS, same version).
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 1_800_000);
   * ```
   */
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    const full = memcachedKey(this.#prefix, key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = Date.now();
      const hit = await this.#call("get", (c) => c.gets(full));
      const { item, live } = await this.#index.judge(hit, now);
      if (hit === null || item === null || !live) return;
      if (expiresAt <= now) {
        const outcome = await this.#call("delete", (c) => c.delete(full, hit.cas));
        if (outcome === "exists") continue;
        return;
      }
      let generation = item.generation;
      if (item.userId !== undefined) {
        const bound = await this.#index.bind(
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
    throw contention(key);
  }

  /**
   * Removes `key`; resolves whether or not it existed.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  protected override async deleteEntry(key: string): Promise<void> {
    const full = memcachedKey(this.#prefix, key);
    this.#seen.forget(full);
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
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    return (await this.#index.members(userId)).map(({ key, item }) => ({ key, entry: copy(item) }));
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
  protected override async deleteUserEntries(
    userId: string,
    except: string | undefined,
  ): Promise<number> {
    const victims = (await this.#index.members(userId)).filter((m) => m.key !== except);
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

  /** On `close()`: forgets the CAS tokens seen. The client is not closed: it belongs to the caller. */
  protected override release(): void {
    this.#seen.clear();
  }

  #remember(full: string, cas: CasToken, item: SessionItem): void {
    this.#seen.remember(full, { cas, version: item.version, expiresAt: item.expiresAt });
  }

  #checkSize(full: string, value: string, userId: string | undefined): void {
    const bytes =
      utf8ByteLength(value) +
      (userId === undefined ? 0 : utf8ByteLength(userId)) +
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

  /** One backend call, bounded by `timeoutMs`; transport failures become `StoreUnavailableError`. */
  async #call<T>(what: string, op: (client: MemcachedClient) => Promise<T>): Promise<T> {
    // A set or touch that loops stops at its next call once the store is closed.
    this.assertOpen();
    return backendCall(`Memcached ${what}`, this.#timeoutMs, () => op(this.#client));
  }
}
