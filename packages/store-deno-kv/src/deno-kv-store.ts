import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "@tessera/store";
import { CheckedStore, RecentlySeen, storeEntry } from "@tessera/store/driver";
import { contention, Keyspace, MAX_ATTEMPTS, type Read } from "./lib/keyspace.js";
import { type DenoKvStoreOptions, resolveOptions } from "./lib/options.js";
import { encodeHead, type Head, splitValue } from "./lib/record.js";

export type { DenoKvStoreOptions } from "./lib/options.js";

// Heads this store read or wrote last, per key, so that the write after a
// load can commit on the versionstamp it saw without reading again (one KV
// call instead of two). Bounded; oldest first out.
const MAX_REMEMBERED = 10_000;
const NO_DATA = new Uint8Array(0);
// Deno KV refuses an expireIn whose deadline lies past its largest date (about
// 8.2e15 ms since the epoch), which a valid expiresAt may exceed. Entries that
// live longer than this get no expireIn at all: KV must never delete a live
// entry early, and the read-side deadline still applies.
const MAX_EXPIRE_IN_MS = 100 * 365.25 * 86_400_000;

const CONFLICT: SetResult = Object.freeze({ ok: false, conflict: true }) as SetResult;

function copy(head: Head, value: string): StoreEntry {
  return storeEntry(value, head.expiresAt, head.version, head.userId);
}

/** The `set` options that let KV reclaim an entry once `expiresAt` (in the future) has passed. */
function lifetime(expiresAt: number, now: number): { expireIn?: number } {
  const expireIn = expiresAt - now;
  return expireIn <= MAX_EXPIRE_IN_MS ? { expireIn } : {};
}

/**
 * A Tessera session store on Deno KV (`Deno.openKv()`: local SQLite,
 * `:memory:`, Deno Deploy, or a KV Connect URL). It never opens or closes the
 * database: pass the one you opened.
 *
 * - The contract's `version` is a counter kept in the entry. Every write reads
 *   the entry, decides from that counter, and commits with
 *   `kv.atomic().check({ key, versionstamp })` on the versionstamp it read, so
 *   compare-and-set holds across processes and Deploy regions; a failed check
 *   (another writer committed in between) reads again.
 * - Entries carry their exact `expiresAt`; reads filter on it, and KV's
 *   `expireIn` only reclaims storage later.
 * - The per-user index is one KV key per session under the owner
 *   (`[...prefix, "u", userId, key]`), written and deleted in the same atomic
 *   commit as the session, so "log out everywhere" cannot miss a session.
 *
 * @example
 * ```ts
 * import { DenoKvStore } from "@tessera/store-deno-kv";
 *
 * const kv = await Deno.openKv();
 * const store = new DenoKvStore({ kv, prefix: ["myapp", "sessions"] });
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * ```
 */
export class DenoKvStore extends CheckedStore {
  /** The key prefix in use. */
  readonly prefix: readonly string[];
  /** The per-call timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly #space: Keyspace;
  /** Last head seen per key (without its data): see MAX_REMEMBERED. */
  readonly #seen = new RecentlySeen<{ stamp: string; head: Head }>(MAX_REMEMBERED);

  constructor(options: DenoKvStoreOptions) {
    const resolved = resolveOptions(options);
    super(resolved.maxValueBytes);
    this.prefix = resolved.prefix;
    this.timeoutMs = resolved.timeoutMs;
    this.#space = new Keyspace(resolved);
  }

  /**
   * The live entry under `key`, or `null`. One `getMany` (the head and, for
   * large values, its pieces). Rejects with `ERR_STORE_BACKEND` when the KV
   * value under the key was not written by this store.
   *
   * @example
   * ```ts
   * const entry = await store.get(key); // { value, expiresAt, userId?, version } | null
   * ```
   */
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const read = await this.#space.readFull(key);
    if (read.kind === "malformed") throw read.error;
    if (read.kind !== "live") {
      this.#seen.forget(key);
      return null;
    }
    this.#remember(key, read.stamp, read.head);
    return copy(read.head, read.value);
  }

  /**
   * Writes `entry`, optionally only if the live version equals
   * `expectVersion` (0: create only). One `get` and one atomic commit
   * checked on the versionstamp read; again after a lost race. Right after
   * this store read or wrote the key, the commit alone, checked on the
   * versionstamp seen then.
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
    const { value, expiresAt, userId } = entry;
    let pieces: Uint8Array[] | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The commit's check makes a remembered head as good as a fresh read:
      // if the key changed since, the check fails and the next attempt reads.
      const remembered = attempt === 0 ? this.#recall(key) : undefined;
      const read = remembered ?? (await this.#space.readHead(key));
      const now = Date.now();
      if (read.kind === "malformed") throw read.error;
      const live = read.kind === "live";
      if (
        (expected === 0 && live) ||
        (expected !== undefined && expected > 0 && (!live || read.head.version !== expected))
      ) {
        // A remembered head may be stale: only a fresh read may refuse.
        if (remembered !== undefined) continue;
        return CONFLICT;
      }
      const old = read.kind === "absent" ? undefined : read.head;
      if (expiresAt <= now) {
        // A past expiry deletes, after the version check: an entry is never stored without a future expiry.
        if (read.kind === "absent") return { ok: true, version: 0 };
        const done = await this.#space.commit("set", (op) => {
          op.check({ key: this.#space.headKey(key), versionstamp: read.stamp });
          this.#space.remove(op, key, old);
        });
        if (done.ok) return { ok: true, version: 0 };
        continue;
      }
      pieces ??= splitValue(value);
      const version = live ? read.head.version + 1 : 1;
      const head: Head = { version, expiresAt, userId, pieces: pieces.length, data: pieces[0]! };
      const life = lifetime(expiresAt, now);
      const written = pieces;
      const done = await this.#space.commit("set", (op) => {
        op.check({ key: this.#space.headKey(key), versionstamp: read.stamp });
        // Deletions first: with owners that KV encodes alike, the new index entry must win.
        for (let i = written.length; i < (old?.pieces ?? 1); i++)
          op.delete(this.#space.pieceKey(key, i));
        if (old?.userId !== undefined && old.userId !== userId) {
          op.delete(this.#space.userKey(old.userId, key));
        }
        op.set(this.#space.headKey(key), encodeHead(head), life);
        for (let i = 1; i < written.length; i++)
          op.set(this.#space.pieceKey(key, i), written[i], life);
        if (userId !== undefined) op.set(this.#space.userKey(userId, key), expiresAt, life);
      });
      if (done.ok) {
        if (done.stamp !== undefined) this.#remember(key, done.stamp, head);
        return { ok: true, version };
      }
    }
    throw contention(key);
  }

  /**
   * Moves the expiry of a live entry (and of its pieces and index entry)
   * without changing its version; a no-op on a missing or expired key;
   * `expiresAt <= now` deletes. One `getMany` and one atomic commit.
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 30 * 60_000);
   * ```
   */
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    this.#seen.forget(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#space.readFull(key);
      if (read.kind === "malformed") throw read.error;
      if (read.kind !== "live") return;
      const now = Date.now();
      const { head, pieces, stamp } = read;
      const done = await this.#space.commit("touch", (op) => {
        op.check({ key: this.#space.headKey(key), versionstamp: stamp });
        if (expiresAt <= now) {
          this.#space.remove(op, key, head);
          return;
        }
        // Pieces and index entry are rewritten too: each carries the same expireIn.
        const life = lifetime(expiresAt, now);
        op.set(this.#space.headKey(key), encodeHead({ ...head, expiresAt }), life);
        for (let i = 1; i < pieces.length; i++)
          op.set(this.#space.pieceKey(key, i), pieces[i], life);
        if (head.userId !== undefined)
          op.set(this.#space.userKey(head.userId, key), expiresAt, life);
      });
      if (done.ok) return;
    }
    throw contention(key);
  }

  /**
   * Removes `key`, its pieces and its index entry; idempotent. A KV value
   * under the key that this store did not write is removed too.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  protected override async deleteEntry(key: string): Promise<void> {
    this.#seen.forget(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#space.readHead(key);
      if (read.kind === "absent") return;
      const done = await this.#space.commit("delete", (op) => {
        op.check({ key: this.#space.headKey(key), versionstamp: read.stamp });
        this.#space.remove(op, key, read.kind === "malformed" ? undefined : read.head);
      });
      if (done.ok) return;
    }
    throw contention(key);
  }

  /**
   * The live entries `userId` owns: one `list` of the user's index, then one
   * read per listed session (sent together). Index entries whose session is
   * gone, expired, owned by someone else or malformed are left out.
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    const keys = await this.#space.indexed(userId);
    const reads = await Promise.all(keys.map((key) => this.#space.readFull(key)));
    const out: UserSession[] = [];
    reads.forEach((read, i) => {
      if (read.kind === "live" && read.head.userId === userId) {
        out.push({ key: keys[i]!, entry: copy(read.head, read.value) });
      }
    });
    return out;
  }

  /**
   * Deletes `userId`'s entries except `exceptKey` ("log out everywhere") and
   * resolves to how many live ones it deleted. Each session goes in its own
   * atomic commit checked on the versionstamp read, so a session rewritten in
   * the meantime (by its owner or a new one) is judged again, never deleted
   * blindly. Expired entries and stale index entries are cleared on the way.
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
    const keys = (await this.#space.indexed(userId)).filter((key) => key !== except);
    const deleted = await Promise.all(keys.map((key) => this.#revoke(userId, key)));
    return deleted.filter(Boolean).length;
  }

  /**
   * On `close()`: KV calls in flight stop at their next step, and the heads
   * seen are forgotten. The KV database stays open; it is yours to `close()`.
   */
  protected override release(): void {
    this.#space.closed = true;
    this.#seen.clear();
  }

  #remember(key: string, stamp: string, head: Head): void {
    this.#seen.remember(key, { stamp, head: { ...head, data: NO_DATA } });
  }

  /** Takes the remembered head of `key` (used once), judged now. */
  #recall(key: string): Read | undefined {
    const seen = this.#seen.take(key);
    if (seen === undefined) return undefined;
    const { stamp, head } = seen;
    return head.expiresAt > Date.now()
      ? { kind: "live", stamp, head, pieces: [], value: "" }
      : { kind: "expired", stamp, head };
  }

  /** Deletes one of `userId`'s sessions; true when it was live. */
  async #revoke(userId: string, key: string): Promise<boolean> {
    this.#seen.forget(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#space.readHead(key);
      if (read.kind === "malformed") return false;
      if (read.kind !== "absent" && read.head.userId !== userId) {
        // Owned by someone else now. Its index entry is left alone: KV stores
        // key strings as UTF-8, so an owner that differs only in lone
        // surrogates would share this very index key.
        return false;
      }
      const head = read.kind === "absent" ? undefined : read.head;
      const done = await this.#space.commit("deleteByUser", (op) => {
        op.check({ key: this.#space.headKey(key), versionstamp: read.stamp });
        if (head !== undefined) this.#space.remove(op, key, head);
        // No session under the key: only a stale index entry to clear.
        else op.delete(this.#space.userKey(userId, key));
      });
      if (done.ok) return read.kind === "live";
    }
    throw contention(key);
  }
}
