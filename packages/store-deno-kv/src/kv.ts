/**
 * The parts of `Deno.Kv` the store uses, as structural types, so that this
 * package typechecks without Deno's type declarations and a `Deno.Kv` from
 * `Deno.openKv()` (local SQLite, `:memory:`, Deno Deploy or KV Connect) fits
 * as is. Names follow Deno's own (`Deno.KvKeyPart`, `Deno.KvKey`, ...).
 */

/**
 * One part of a Deno KV key (`Deno.KvKeyPart`). The store itself writes only
 * strings and numbers.
 *
 * @example
 * ```ts
 * const part: KvKeyPart = "sessions";
 * ```
 */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean | symbol;

/**
 * A Deno KV key (`Deno.KvKey`): an ordered list of parts.
 *
 * @example
 * ```ts
 * const key: KvKey = ["myapp", "sessions", "s", "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg"];
 * ```
 */
export type KvKey = readonly KvKeyPart[];

/**
 * What `get`, `getMany` and `list` answer (`Deno.KvEntryMaybe`): `versionstamp`
 * is `null` (and `value` `null`) when the key does not exist.
 *
 * @example
 * ```ts
 * const found = (entry: KvEntryMaybeLike) => entry.versionstamp !== null;
 * ```
 */
export interface KvEntryMaybeLike {
  /** The key read. */
  key: KvKey;
  /** The stored value (structured-cloned), or `null` when absent. */
  value: unknown;
  /** The versionstamp of the commit that last wrote the key, or `null` when absent. */
  versionstamp: string | null;
}

/**
 * A check of an atomic operation (`Deno.AtomicCheck`): the commit fails unless
 * the key's versionstamp still equals `versionstamp` (`null`: still absent).
 *
 * @example
 * ```ts
 * const check: KvAtomicCheckLike = { key: ["k"], versionstamp: null };
 * ```
 */
export interface KvAtomicCheckLike {
  /** The key checked. */
  key: KvKey;
  /** The versionstamp it must still have, or `null` for "still absent". */
  versionstamp: string | null;
}

/**
 * The result of `commit()` (`Deno.KvCommitResult | Deno.KvCommitError`):
 * `ok: false` when a check failed and nothing was written.
 *
 * @example
 * ```ts
 * const written = (result: KvCommitResultLike) => result.ok;
 * ```
 */
export interface KvCommitResultLike {
  /** True when every check held and every mutation was applied. */
  ok: boolean;
  /** The commit's versionstamp, when `ok`. */
  versionstamp?: string;
}

/**
 * An atomic operation (`Deno.AtomicOperation`): checks and mutations that are
 * applied together, or not at all, by `commit()`.
 *
 * @example
 * ```ts
 * const result = await kv.atomic().check({ key, versionstamp: null }).set(key, 1).commit();
 * ```
 */
export interface KvAtomicLike {
  /** Adds version checks. */
  check(...checks: KvAtomicCheckLike[]): KvAtomicLike;
  /** Writes `value` under `key`; `expireIn` (ms) lets KV delete it some time later. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomicLike;
  /** Deletes `key`. */
  delete(key: KvKey): KvAtomicLike;
  /** Applies the operation. */
  commit(): Promise<KvCommitResultLike>;
}

/**
 * The subset of `Deno.Kv` the store calls. Pass the object `Deno.openKv()`
 * resolved to; the store never opens or closes it.
 *
 * @example
 * ```ts
 * const kv: KvLike = await Deno.openKv();
 * ```
 */
export interface KvLike {
  /** Reads one key (strong consistency). */
  get(key: KvKey): Promise<KvEntryMaybeLike>;
  /** Reads up to 10 keys from one snapshot. */
  getMany(keys: readonly KvKey[]): Promise<readonly KvEntryMaybeLike[]>;
  /** Lists the entries under a key prefix. */
  list(
    selector: { prefix: KvKey },
    options?: { batchSize?: number },
  ): AsyncIterable<KvEntryMaybeLike>;
  /** Starts an atomic operation. */
  atomic(): KvAtomicLike;
}
