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
  StoreUnavailableError,
  type UserIndex,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";
import type { KvAtomicLike, KvEntryMaybeLike, KvKey, KvLike } from "./kv.js";
import {
  decodeHead,
  decodePiece,
  encodeHead,
  type Head,
  joinValue,
  MAX_PIECES,
  malformed,
  PIECE_BYTES,
  splitValue,
} from "./lib/record.js";

/**
 * Options of {@link DenoKvStore}.
 *
 * @example
 * ```ts
 * const options: DenoKvStoreOptions = { kv: await Deno.openKv(), prefix: ["myapp", "sessions"] };
 * ```
 */
export interface DenoKvStoreOptions {
  /** The database `Deno.openKv()` resolved to. The store never opens or closes it. */
  kv: KvLike;
  /**
   * Key parts before every key the store writes, so sessions never mix with
   * other data: 1 to 8 strings of 1 to 64 printable ASCII characters. Use one
   * per application and data format version, e.g. `["myapp", "sessions", "v1"]`.
   * @default ["tessera"]
   */
  prefix?: readonly string[];
  /**
   * Largest value accepted, in UTF-8 bytes, from 1 to 640,000; larger values
   * reject with `ERR_STORE_VALUE_TOO_LARGE` before any KV call. Values above
   * 64,000 bytes are kept in several KV entries written in one commit (KV
   * limits one entry to 64 KiB), and every read fetches as many entries as
   * this limit needs in one `getMany`.
   * @default 65536
   */
  maxValueBytes?: number;
  /**
   * Milliseconds one KV call may take before the store call rejects with
   * `StoreUnavailableError`. The KV call itself cannot be cancelled: a write
   * that timed out may still be applied.
   * @default 2000
   */
  timeoutMs?: number;
}

/** The largest `maxValueBytes`: one `getMany` reads at most 10 entries. */
const MAX_VALUE_BYTES_LIMIT = PIECE_BYTES * MAX_PIECES;
const DEFAULT_PREFIX: readonly string[] = Object.freeze(["tessera"]);
const DEFAULT_TIMEOUT_MS = 2000;
const PREFIX_PART = /^[\x20-\x7e]{1,64}$/;
const MAX_PREFIX_PARTS = 8;
// Each attempt reads and commits with a versionstamp check; a failed check
// means another writer committed in between, so progress is being made.
const MAX_ATTEMPTS = 32;
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

/**
 * What a read of one session found. `pieces` and `value` are filled by full
 * reads of a live entry only (a head-only read leaves them empty).
 */
type Read =
  | { kind: "absent"; stamp: null }
  | { kind: "malformed"; stamp: string; error: StoreError }
  | { kind: "expired"; stamp: string; head: Head }
  | { kind: "live"; stamp: string; head: Head; pieces: Uint8Array[]; value: string };

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

function prefixOption(value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return DEFAULT_PREFIX;
  const expected = `expected an array of 1-${MAX_PREFIX_PARTS} strings of 1-64 printable ASCII characters`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PREFIX_PARTS) {
    throw invalid("prefix", Array.isArray(value) ? `[${value.length} parts]` : value, expected);
  }
  for (const part of value) {
    if (typeof part !== "string" || !PREFIX_PART.test(part)) {
      throw invalid("prefix", Array.isArray(part) ? "[array part]" : part, expected);
    }
  }
  return Object.freeze([...value]);
}

function copy(head: Head, value: string): StoreEntry {
  return head.userId === undefined
    ? { value, expiresAt: head.expiresAt, version: head.version }
    : { value, expiresAt: head.expiresAt, userId: head.userId, version: head.version };
}

/** The `set` options that let KV reclaim an entry once `expiresAt` (in the future) has passed. */
function lifetime(expiresAt: number, now: number): { expireIn?: number } {
  const expireIn = expiresAt - now;
  return expireIn <= MAX_EXPIRE_IN_MS ? { expireIn } : {};
}

/** Decides what a head entry read at `now` is. */
function judge(entry: KvEntryMaybeLike | undefined, now: number): Read {
  if (entry === undefined || entry.versionstamp === null) return { kind: "absent", stamp: null };
  const stamp = entry.versionstamp;
  let head: Head;
  try {
    head = decodeHead(entry.value);
  } catch (error) {
    return { kind: "malformed", stamp, error: error as StoreError };
  }
  // Deno KV's expireIn only allows deletion some time later: the deadline
  // decides, so an entry is never returned at or after expiresAt.
  if (head.expiresAt <= now) return { kind: "expired", stamp, head };
  return { kind: "live", stamp, head, pieces: [], value: "" };
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
export class DenoKvStore implements SessionStore, UserIndex {
  /** The key prefix in use. */
  readonly prefix: readonly string[];
  /** The largest value accepted, in UTF-8 bytes. */
  readonly maxValueBytes: number;
  /** The per-call timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly #kv: KvLike;
  /** Entries one read fetches: as many pieces as a value of `maxValueBytes` needs. */
  readonly #readPieces: number;
  #closed = false;
  /** Last head seen per key (without its data): see MAX_REMEMBERED. */
  readonly #seen = new Map<string, { stamp: string; head: Head }>();

  constructor(options: DenoKvStoreOptions) {
    if (typeof options !== "object" || options === null) {
      throw invalid("options", options, "expected an object with a kv");
    }
    const kv = options.kv;
    if (
      typeof kv !== "object" ||
      kv === null ||
      typeof kv.get !== "function" ||
      typeof kv.getMany !== "function" ||
      typeof kv.list !== "function" ||
      typeof kv.atomic !== "function"
    ) {
      throw invalid("kv", kv, "expected a Deno.Kv from Deno.openKv()");
    }
    this.#kv = kv;
    this.prefix = prefixOption(options.prefix);
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
    this.#readPieces = Math.ceil(this.maxValueBytes / PIECE_BYTES);
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
  async get(key: string): Promise<StoreEntry | null> {
    this.#open();
    validateKey(key);
    const read = await this.#readFull(key);
    if (read.kind === "malformed") throw read.error;
    if (read.kind !== "live") {
      this.#seen.delete(key);
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
  async set(key: string, entry: StoreEntryInput, options?: SetOptions): Promise<SetResult> {
    this.#open();
    validateKey(key);
    validateEntry(entry, this.maxValueBytes);
    const expected = validateSetOptions(options);
    const { value, expiresAt, userId } = entry;
    let pieces: Uint8Array[] | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The commit's check makes a remembered head as good as a fresh read:
      // if the key changed since, the check fails and the next attempt reads.
      const remembered = attempt === 0 ? this.#recall(key) : undefined;
      const read = remembered ?? (await this.#readHead(key));
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
        const done = await this.#commit("set", (op) => {
          op.check({ key: this.#headKey(key), versionstamp: read.stamp });
          this.#remove(op, key, old);
        });
        if (done.ok) return { ok: true, version: 0 };
        continue;
      }
      pieces ??= splitValue(value);
      const version = live ? read.head.version + 1 : 1;
      const head: Head = { version, expiresAt, userId, pieces: pieces.length, data: pieces[0]! };
      const life = lifetime(expiresAt, now);
      const written = pieces;
      const done = await this.#commit("set", (op) => {
        op.check({ key: this.#headKey(key), versionstamp: read.stamp });
        // Deletions first: with owners that KV encodes alike, the new index entry must win.
        for (let i = written.length; i < (old?.pieces ?? 1); i++) op.delete(this.#pieceKey(key, i));
        if (old?.userId !== undefined && old.userId !== userId) {
          op.delete(this.#userKey(old.userId, key));
        }
        op.set(this.#headKey(key), encodeHead(head), life);
        for (let i = 1; i < written.length; i++) op.set(this.#pieceKey(key, i), written[i], life);
        if (userId !== undefined) op.set(this.#userKey(userId, key), expiresAt, life);
      });
      if (done.ok) {
        if (done.stamp !== undefined) this.#remember(key, done.stamp, head);
        return { ok: true, version };
      }
    }
    throw this.#contention(key);
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
  async touch(key: string, expiresAt: number): Promise<void> {
    this.#open();
    validateKey(key);
    validateExpiresAt(expiresAt);
    this.#seen.delete(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#readFull(key);
      if (read.kind === "malformed") throw read.error;
      if (read.kind !== "live") return;
      const now = Date.now();
      const { head, pieces, stamp } = read;
      const done = await this.#commit("touch", (op) => {
        op.check({ key: this.#headKey(key), versionstamp: stamp });
        if (expiresAt <= now) {
          this.#remove(op, key, head);
          return;
        }
        // Pieces and index entry are rewritten too: each carries the same expireIn.
        const life = lifetime(expiresAt, now);
        op.set(this.#headKey(key), encodeHead({ ...head, expiresAt }), life);
        for (let i = 1; i < pieces.length; i++) op.set(this.#pieceKey(key, i), pieces[i], life);
        if (head.userId !== undefined) op.set(this.#userKey(head.userId, key), expiresAt, life);
      });
      if (done.ok) return;
    }
    throw this.#contention(key);
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
  async delete(key: string): Promise<void> {
    this.#open();
    validateKey(key);
    this.#seen.delete(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#readHead(key);
      if (read.kind === "absent") return;
      const done = await this.#commit("delete", (op) => {
        op.check({ key: this.#headKey(key), versionstamp: read.stamp });
        this.#remove(op, key, read.kind === "malformed" ? undefined : read.head);
      });
      if (done.ok) return;
    }
    throw this.#contention(key);
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
  async listByUser(userId: string): Promise<UserSession[]> {
    this.#open();
    validateUserId(userId);
    const keys = await this.#indexed(userId);
    const reads = await Promise.all(keys.map((key) => this.#readFull(key)));
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
  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    this.#open();
    validateUserId(userId);
    const except = options?.exceptKey;
    if (except !== undefined) validateKey(except);
    const keys = (await this.#indexed(userId)).filter((key) => key !== except);
    const deleted = await Promise.all(keys.map((key) => this.#revoke(userId, key)));
    return deleted.filter(Boolean).length;
  }

  /**
   * Marks the store closed: every later call rejects with `StoreClosedError`.
   * The KV database stays open; it is yours to `close()`.
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

  #open(): void {
    if (this.#closed) throw new StoreClosedError();
  }

  #headKey(key: string): KvKey {
    return [...this.prefix, "s", key];
  }

  #pieceKey(key: string, index: number): KvKey {
    return [...this.prefix, "s", key, index];
  }

  #userKey(userId: string, key: string): KvKey {
    return [...this.prefix, "u", userId, key];
  }

  /** Adds the deletion of a session (head, pieces, index entry) to `op`. */
  #remove(op: KvAtomicLike, key: string, head: Head | undefined): void {
    op.delete(this.#headKey(key));
    // Without a readable head the piece count is unknown: delete every possible piece.
    for (let i = 1; i < (head?.pieces ?? MAX_PIECES); i++) op.delete(this.#pieceKey(key, i));
    if (head?.userId !== undefined) op.delete(this.#userKey(head.userId, key));
  }

  #remember(key: string, stamp: string, head: Head): void {
    this.#seen.delete(key);
    this.#seen.set(key, { stamp, head: { ...head, data: NO_DATA } });
    if (this.#seen.size > MAX_REMEMBERED) {
      const oldest = this.#seen.keys().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
  }

  /** Takes the remembered head of `key` (used once), judged now. */
  #recall(key: string): Read | undefined {
    const seen = this.#seen.get(key);
    if (seen === undefined) return undefined;
    this.#seen.delete(key);
    const { stamp, head } = seen;
    return head.expiresAt > Date.now()
      ? { kind: "live", stamp, head, pieces: [], value: "" }
      : { kind: "expired", stamp, head };
  }

  /** The head alone: what a write needs to decide. */
  async #readHead(key: string): Promise<Read> {
    const entry = await this.#call("get", (kv) => kv.get(this.#headKey(key)));
    return judge(entry, Date.now());
  }

  /** The head and every piece of a live entry, from one snapshot when the pieces fit in one read. */
  async #readFull(key: string): Promise<Read> {
    const first = Array.from({ length: this.#readPieces }, (_, i) =>
      i === 0 ? this.#headKey(key) : this.#pieceKey(key, i),
    );
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entries = await this.#call("getMany", (kv) => kv.getMany(first));
      const read = judge(entries[0], Date.now());
      if (read.kind !== "live") return read;
      const { head, stamp } = read;
      read.pieces.push(head.data);
      try {
        // Pieces are written in the head's commit, so they carry its versionstamp.
        for (let i = 1; i < head.pieces && i < entries.length; i++) {
          const entry = entries[i];
          if (entry?.versionstamp !== stamp) throw malformed(`value piece ${i} is missing`);
          read.pieces.push(decodePiece(entry.value));
        }
        if (head.pieces <= entries.length) {
          read.value = joinValue(read.pieces);
          return read;
        }
      } catch (error) {
        return { kind: "malformed", stamp, error: error as StoreError };
      }
      // Written under a larger maxValueBytes: fetch the rest, and read again
      // if the entry changed between the two reads.
      const rest = Array.from({ length: head.pieces - entries.length }, (_, i) =>
        this.#pieceKey(key, entries.length + i),
      );
      const more = await this.#call("getMany", (kv) => kv.getMany(rest));
      if (more.length !== rest.length || more.some((entry) => entry.versionstamp !== stamp)) {
        continue;
      }
      try {
        for (const entry of more) read.pieces.push(decodePiece(entry.value));
        read.value = joinValue(read.pieces);
      } catch (error) {
        return { kind: "malformed", stamp, error: error as StoreError };
      }
      return read;
    }
    throw this.#contention(key);
  }

  /** The store keys under `userId`'s index (index entries with any other shape are skipped). */
  async #indexed(userId: string): Promise<string[]> {
    const selector = { prefix: [...this.prefix, "u", userId] };
    const depth = this.prefix.length + 3;
    const entries = await this.#call("list", async (kv) => {
      const found: KvEntryMaybeLike[] = [];
      for await (const entry of kv.list(selector)) found.push(entry);
      return found;
    });
    const keys: string[] = [];
    for (const { key } of entries) {
      const last = key[key.length - 1];
      if (key.length === depth && typeof last === "string" && isStoreKey(last)) keys.push(last);
    }
    return keys;
  }

  /** Deletes one of `userId`'s sessions; true when it was live. */
  async #revoke(userId: string, key: string): Promise<boolean> {
    this.#seen.delete(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#readHead(key);
      if (read.kind === "malformed") return false;
      if (read.kind !== "absent" && read.head.userId !== userId) {
        // Owned by someone else now. Its index entry is left alone: KV stores
        // key strings as UTF-8, so an owner that differs only in lone
        // surrogates would share this very index key.
        return false;
      }
      const head = read.kind === "absent" ? undefined : read.head;
      const done = await this.#commit("deleteByUser", (op) => {
        op.check({ key: this.#headKey(key), versionstamp: read.stamp });
        if (head !== undefined) this.#remove(op, key, head);
        // No session under the key: only a stale index entry to clear.
        else op.delete(this.#userKey(userId, key));
      });
      if (done.ok) return read.kind === "live";
    }
    throw this.#contention(key);
  }

  /** Builds and commits one atomic operation; `ok` false when a check failed. */
  async #commit(
    what: string,
    build: (op: KvAtomicLike) => void,
  ): Promise<{ ok: boolean; stamp: string | undefined }> {
    const result = await this.#call(what, (kv) => {
      const op = kv.atomic();
      build(op);
      return op.commit();
    });
    const stamp = typeof result.versionstamp === "string" ? result.versionstamp : undefined;
    return { ok: result.ok === true, stamp };
  }

  #contention(key: string): StoreError {
    return new StoreError(
      "ERR_STORE_BACKEND",
      `gave up after ${MAX_ATTEMPTS} attempts on key ${key}: too many concurrent writers`,
    );
  }

  /** One KV call, bounded by `timeoutMs`; any KV failure becomes `StoreUnavailableError`. */
  #call<T>(what: string, op: (kv: KvLike) => Promise<T>): Promise<T> {
    this.#open();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new StoreUnavailableError(`Deno KV ${what} timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(op(this.#kv));
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
          reject(new StoreUnavailableError(`Deno KV ${what} failed`, { cause: error }));
        },
      );
    });
  }
}

// The contract's key alphabet (base64url, RFC 4648 §5), for keys read back from the index.
function isStoreKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}
