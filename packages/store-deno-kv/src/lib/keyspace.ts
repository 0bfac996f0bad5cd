import { StoreClosedError, StoreError } from "@tessera/store";
import { backendCall, isStoreKey } from "@tessera/store/driver";
import type { KvAtomicLike, KvEntryMaybeLike, KvKey, KvLike } from "../kv.js";
import type { ResolvedOptions } from "./options.js";
import {
  decodeHead,
  decodePiece,
  type Head,
  joinValue,
  MAX_PIECES,
  malformed,
  PIECE_BYTES,
} from "./record.js";

// Each attempt reads and commits with a versionstamp check; a failed check
// means another writer committed in between, so progress is being made.
export const MAX_ATTEMPTS = 32;

/**
 * What a read of one session found. `pieces` and `value` are filled by full
 * reads of a live entry only (a head-only read leaves them empty).
 */
export type Read =
  | { kind: "absent"; stamp: null }
  | { kind: "malformed"; stamp: string; error: StoreError }
  | { kind: "expired"; stamp: string; head: Head }
  | { kind: "live"; stamp: string; head: Head; pieces: Uint8Array[]; value: string };

/** Decides what a head entry read at `now` is. */
export function judge(entry: KvEntryMaybeLike | undefined, now: number): Read {
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
 * Where a store's sessions live in KV and how it talks to KV: the key layout,
 * the bounded KV call, the reads and the atomic commits. The store decides;
 * this only reads and writes.
 *
 * Layout: a session's head at `[...prefix, "s", key]`, its extra pieces at
 * `[...prefix, "s", key, i]`, its owner's index entry at
 * `[...prefix, "u", userId, key]`.
 */
export class Keyspace {
  /** Set by the store's `close()`: later KV calls reject with `StoreClosedError`. */
  closed = false;
  readonly #kv: KvLike;
  readonly #prefix: readonly string[];
  readonly #timeoutMs: number;
  /** Entries one read fetches: as many pieces as a value of `maxValueBytes` needs. */
  readonly #readPieces: number;

  constructor(options: ResolvedOptions) {
    this.#kv = options.kv;
    this.#prefix = options.prefix;
    this.#timeoutMs = options.timeoutMs;
    this.#readPieces = Math.ceil(options.maxValueBytes / PIECE_BYTES);
  }

  headKey(key: string): KvKey {
    return [...this.#prefix, "s", key];
  }

  pieceKey(key: string, index: number): KvKey {
    return [...this.#prefix, "s", key, index];
  }

  userKey(userId: string, key: string): KvKey {
    return [...this.#prefix, "u", userId, key];
  }

  /** Adds the deletion of a session (head, pieces, index entry) to `op`. */
  remove(op: KvAtomicLike, key: string, head: Head | undefined): void {
    op.delete(this.headKey(key));
    // Without a readable head the piece count is unknown: delete every possible piece.
    for (let i = 1; i < (head?.pieces ?? MAX_PIECES); i++) op.delete(this.pieceKey(key, i));
    if (head?.userId !== undefined) op.delete(this.userKey(head.userId, key));
  }

  /** The head alone: what a write needs to decide. */
  async readHead(key: string): Promise<Read> {
    const entry = await this.#call("get", (kv) => kv.get(this.headKey(key)));
    return judge(entry, Date.now());
  }

  /** The head and every piece of a live entry, from one snapshot when the pieces fit in one read. */
  async readFull(key: string): Promise<Read> {
    const first = Array.from({ length: this.#readPieces }, (_, i) =>
      i === 0 ? this.headKey(key) : this.pieceKey(key, i),
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
        this.pieceKey(key, entries.length + i),
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
    throw contention(key);
  }

  /** The store keys under `userId`'s index (index entries with any other shape are skipped). */
  async indexed(userId: string): Promise<string[]> {
    const selector = { prefix: [...this.#prefix, "u", userId] };
    const depth = this.#prefix.length + 3;
    const entries = await this.#call("list", async (kv) => {
      const found: KvEntryMaybeLike[] = [];
      for await (const entry of kv.list(selector)) found.push(entry);
      return found;
    });
    const keys: string[] = [];
    for (const { key } of entries) {
      const last = key[key.length - 1];
      // The contract's key alphabet (base64url, RFC 4648 §5): anything else is not ours.
      if (key.length === depth && isStoreKey(last)) keys.push(last);
    }
    return keys;
  }

  /** Builds and commits one atomic operation; `ok` false when a check failed. */
  async commit(
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

  /** One KV call, bounded by `timeoutMs`; any KV failure becomes `StoreUnavailableError`. */
  async #call<T>(what: string, op: (kv: KvLike) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreClosedError();
    return backendCall(`Deno KV ${what}`, this.#timeoutMs, () => op(this.#kv));
  }
}

/** Too many writers raced on one key: each lost check means another committed. */
export function contention(key: string): StoreError {
  return new StoreError(
    "ERR_STORE_BACKEND",
    `gave up after ${MAX_ATTEMPTS} attempts on key ${key}: too many concurrent writers`,
  );
}
