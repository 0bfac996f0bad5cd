import type { StoreEntry } from "../contract.js";
import { validateKey } from "../validate.js";

/**
 * A fresh {@link StoreEntry} from a backend record's fields, without a
 * `userId` property when it has no owner (the contract's shape, which the
 * conformance suite compares exactly).
 *
 * @example
 * ```ts
 * return storeEntry(row.value, row.expiresAt, row.version, row.userId);
 * ```
 */
export function storeEntry(
  value: string,
  expiresAt: number,
  version: number,
  userId?: string,
): StoreEntry {
  return userId === undefined
    ? { value, expiresAt, version }
    : { value, expiresAt, userId, version };
}

/**
 * True when `key` is a valid store key (the contract's base64url alphabet and
 * length): for keys a driver reads back from its own per-user index, where a
 * foreign entry is skipped rather than thrown on.
 *
 * @example
 * ```ts
 * const keys = Object.keys(index.members).filter(isStoreKey);
 * ```
 */
export function isStoreKey(key: unknown): key is string {
  try {
    validateKey(key as string);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a driver saw last per key, at most `limit` keys, least recently
 * remembered out first: lets a write that follows a read in the same process
 * commit on the version or CAS token it saw, in one round trip instead of two.
 * Each remembered value is taken once.
 *
 * @example
 * ```ts
 * const seen = new RecentlySeen<{ cas: bigint }>(10_000);
 * seen.remember(key, { cas });
 * const last = seen.take(key); // { cas } once, then undefined
 * ```
 */
export class RecentlySeen<V> {
  readonly #limit: number;
  readonly #map = new Map<string, V>();

  /** @param limit - Most keys kept. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Keys remembered now. */
  get size(): number {
    return this.#map.size;
  }

  /** Remembers `value` for `key` as the newest entry, dropping the oldest over the limit. */
  remember(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#limit) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
  }

  /** The value remembered for `key`, forgotten as it is returned. */
  take(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) this.#map.delete(key);
    return value;
  }

  /** Forgets `key`. */
  forget(key: string): void {
    this.#map.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    this.#map.clear();
  }
}
