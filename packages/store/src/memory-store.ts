export type { MemoryStoreOptions } from "./memory-options.js";

import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "./contract.js";
import { CheckedStore } from "./driver/checked-store.js";
import { storeEntry } from "./driver/entries.js";
import { ExpiryHeap } from "./lib/expiry-heap.js";
import { type MemoryStoreOptions, resolveMemoryOptions } from "./memory-options.js";

const CONFLICT: SetResult = Object.freeze({ ok: false, conflict: true }) as SetResult;

// A class, not an object literal, so every record shares one hidden class and stays small.
class MemoryRecord {
  constructor(
    public value: string,
    public expiresAt: number,
    public version: number,
    public userId: string | undefined,
  ) {}
}

function copyOf(record: MemoryRecord): StoreEntry {
  return storeEntry(record.value, record.expiresAt, record.version, record.userId);
}

/**
 * An in-process {@link SessionStore} with the per-user index capability.
 * For development, tests and single-process deployments: sessions live in
 * this process's heap and vanish on restart.
 *
 * - Never returns an expired entry; expired entries are freed in time
 *   proportional to how many expired (a min-heap on `expiresAt` with lazy
 *   invalidation), by every call and by an unref'd background sweep.
 * - Bounded: `maxEntries` with least-recently-used eviction in O(1).
 * - Versioned writes are atomic: each method runs to completion synchronously.
 * - Returns copies; callers cannot mutate what is stored.
 *
 * @example
 * ```ts
 * const store = new MemoryStore({ maxEntries: 10_000 });
 * await store.set("n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg", { value: "{}", expiresAt: Date.now() + 60_000 });
 * await store.close();
 * ```
 */
export class MemoryStore extends CheckedStore {
  private readonly records = new Map<string, MemoryRecord>();
  private readonly users = new Map<string, Set<string>>();
  private readonly heap = new ExpiryHeap();
  private readonly maxEntries: number;
  private readonly lru: boolean;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    const { maxEntries, maxValueBytes, sweepIntervalMs, now } = resolveMemoryOptions(options);
    super(maxValueBytes);
    this.maxEntries = maxEntries;
    this.lru = maxEntries !== Number.POSITIVE_INFINITY;
    this.now = now;
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepIntervalMs);
      // Node and Bun: an idle process with only this timer may exit. Deno and
      // browsers return a number, which has no unref and never blocks exit anyway.
      (this.timer as unknown as { unref?: () => unknown }).unref?.();
    }
  }

  /**
   * Number of live entries (expired ones are freed first).
   *
   * @example
   * ```ts
   * console.log(store.size);
   * ```
   */
  get size(): number {
    if (this.closed) return 0;
    this.expireDue(this.now());
    return this.records.size;
  }

  /**
   * Frees every expired entry now; returns how many. The background timer
   * calls this; call it yourself when the timer is disabled and the store idles.
   *
   * @example
   * ```ts
   * const freed = store.sweep();
   * ```
   */
  sweep(): number {
    if (this.closed) return 0;
    return this.expireDue(this.now());
  }

  /**
   * The live entry under `key` (a copy), or `null`.
   *
   * @example
   * ```ts
   * const entry = await store.get(key);
   * ```
   */
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const now = this.now();
    this.expireDue(now);
    const record = this.records.get(key);
    if (record === undefined) return null;
    if (record.expiresAt <= now) {
      this.remove(key, record);
      return null;
    }
    this.markUsed(key, record);
    return copyOf(record);
  }

  /**
   * Writes an entry; with `expectVersion`, only if the live version matches
   * (`0`: only if absent). `expiresAt <= now` deletes instead.
   *
   * @example
   * ```ts
   * const result = await store.set(key, { value, expiresAt, userId }, { expectVersion: 0 });
   * ```
   */
  protected override async setEntry(
    key: string,
    entry: StoreEntryInput,
    expected: number | undefined,
  ): Promise<SetResult> {
    const { value, expiresAt } = entry;
    const userId = entry.userId;
    const now = this.now();
    this.expireDue(now);
    let record = this.records.get(key);
    if (record !== undefined && record.expiresAt <= now) {
      this.remove(key, record);
      record = undefined;
    }
    if (expected !== undefined && expected !== (record?.version ?? 0)) return CONFLICT;
    // A write that would not expire in the future is a delete, never "no expiry".
    if (expiresAt <= now) {
      if (record !== undefined) {
        this.remove(key, record);
        this.compactIfSparse();
      }
      return { ok: true, version: 0 };
    }
    if (record === undefined) {
      if (this.records.size >= this.maxEntries) this.evictLeastRecentlyUsed();
      record = new MemoryRecord(value, expiresAt, 1, userId);
      this.records.set(key, record);
      this.heap.push(expiresAt, key);
      if (userId !== undefined) this.index(key, userId);
      this.compactIfSparse();
      return { ok: true, version: 1 };
    }
    if (record.userId !== userId) {
      if (record.userId !== undefined) this.unindex(key, record.userId);
      if (userId !== undefined) this.index(key, userId);
    }
    this.moveExpiry(key, record, expiresAt);
    record.value = value;
    record.userId = userId;
    record.version++;
    this.markUsed(key, record);
    return { ok: true, version: record.version };
  }

  /**
   * Sets the expiry of a live entry without changing its value or version;
   * no-op on a missing or expired key; `expiresAt <= now` deletes.
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 1_800_000);
   * ```
   */
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    const now = this.now();
    this.expireDue(now);
    const record = this.records.get(key);
    if (record === undefined) return;
    if (record.expiresAt <= now || expiresAt <= now) {
      this.remove(key, record);
      this.compactIfSparse();
      return;
    }
    this.moveExpiry(key, record, expiresAt);
    this.markUsed(key, record);
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
    const record = this.records.get(key);
    if (record !== undefined) {
      this.remove(key, record);
      this.compactIfSparse();
    }
  }

  /**
   * Copies of `userId`'s live entries.
   *
   * @example
   * ```ts
   * const sessions = await store.listByUser("user-42");
   * ```
   */
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    const now = this.now();
    this.expireDue(now);
    const keys = this.users.get(userId);
    const out: UserSession[] = [];
    if (keys === undefined) return out;
    for (const key of [...keys]) {
      const record = this.records.get(key)!;
      if (record.expiresAt <= now) this.remove(key, record);
      else out.push({ key, entry: copyOf(record) });
    }
    return out;
  }

  /**
   * Deletes `userId`'s live entries except `exceptKey`; resolves to how many.
   *
   * @example
   * ```ts
   * await store.deleteByUser("user-42", { exceptKey: currentKey });
   * ```
   */
  protected override async deleteUserEntries(
    userId: string,
    except: string | undefined,
  ): Promise<number> {
    const now = this.now();
    this.expireDue(now);
    const keys = this.users.get(userId);
    if (keys === undefined) return 0;
    let deleted = 0;
    for (const key of [...keys]) {
      if (key === except) continue;
      const record = this.records.get(key)!;
      if (record.expiresAt > now) deleted++;
      this.remove(key, record);
    }
    this.compactIfSparse();
    return deleted;
  }

  /** On `close()`: stops the sweep timer and drops every entry. */
  protected override release(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.records.clear();
    this.users.clear();
    this.heap.clear();
  }

  /**
   * Pops every heap node due at `now`. Invariant: each live record has a node
   * at or before its `expiresAt`, so after this no record with
   * `expiresAt <= now` remains. A node older than its record's expiry (the
   * entry was extended) is re-queued at the current expiry.
   */
  private expireDue(now: number): number {
    const heap = this.heap;
    let removed = 0;
    while (heap.peekTime() <= now) {
      const key = heap.peekKey();
      heap.pop();
      const record = this.records.get(key);
      if (record === undefined) continue;
      if (record.expiresAt <= now) {
        this.remove(key, record);
        removed++;
      } else heap.push(record.expiresAt, key);
    }
    return removed;
  }

  private moveExpiry(key: string, record: MemoryRecord, expiresAt: number): void {
    // Extending needs no node: the old one resurfaces first and is re-queued.
    if (expiresAt < record.expiresAt) {
      this.heap.push(expiresAt, key);
      record.expiresAt = expiresAt;
      // Repeated shortening leaves one stale node per call.
      this.compactIfSparse();
    } else record.expiresAt = expiresAt;
  }

  private markUsed(key: string, record: MemoryRecord): void {
    // Map keeps insertion order: re-inserting makes it the most recently used, in O(1).
    if (!this.lru) return;
    this.records.delete(key);
    this.records.set(key, record);
  }

  private evictLeastRecentlyUsed(): void {
    const first = this.records.entries().next();
    if (first.done) return;
    this.remove(first.value[0], first.value[1]);
  }

  private remove(key: string, record: MemoryRecord): void {
    this.records.delete(key);
    if (record.userId !== undefined) this.unindex(key, record.userId);
  }

  private index(key: string, userId: string): void {
    let keys = this.users.get(userId);
    if (keys === undefined) {
      keys = new Set();
      this.users.set(userId, keys);
    }
    keys.add(key);
  }

  private unindex(key: string, userId: string): void {
    const keys = this.users.get(userId);
    if (keys === undefined) return;
    keys.delete(key);
    if (keys.size === 0) this.users.delete(userId);
  }

  /**
   * Nodes of deleted or evicted entries stay in the heap until they surface;
   * rebuild once they outnumber live entries, which keeps memory O(live) and
   * costs O(1) amortised per operation.
   */
  private compactIfSparse(): void {
    if (this.heap.size <= 2 * this.records.size + 1024) return;
    const times: number[] = [];
    const keys: string[] = [];
    for (const [key, record] of this.records) {
      times.push(record.expiresAt);
      keys.push(key);
    }
    this.heap.rebuild(times, keys);
  }
}
