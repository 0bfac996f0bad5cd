/**
 * The one record a store ever sees. Keys are hashes of session tokens and
 * values are opaque strings (encoded, possibly encrypted session data): a
 * store never parses either.
 *
 * @example
 * ```ts
 * const entry: StoreEntry = { value: "e30", expiresAt: Date.now() + 1_800_000, userId: "u1", version: 1 };
 * ```
 */
export interface StoreEntry {
  /** Encoded session; opaque to the store. Well-formed UTF-16 (lone surrogates are unspecified). */
  value: string;
  /**
   * Epoch milliseconds, an integer (`ERR_STORE_INVALID_EXPIRY` otherwise). The entry is live while `now < expiresAt` and is never
   * returned at or after this instant, whatever the backend's own TTL says.
   */
  expiresAt: number;
  /** Owner, for listing and revoking one user's sessions. Absent (undefined) when anonymous. */
  userId?: string;
  /** Bumped by every successful `set`; 1 after creation. `touch` does not change it. */
  version: number;
}

/**
 * What a caller writes: a {@link StoreEntry} without its version, which the store assigns.
 *
 * @example
 * ```ts
 * const input: StoreEntryInput = { value: "e30", expiresAt: Date.now() + 60_000 };
 * ```
 */
export type StoreEntryInput = Omit<StoreEntry, "version">;

/**
 * Options of {@link SessionStore.set}.
 *
 * @example
 * ```ts
 * const createOnly: SetOptions = { expectVersion: 0 };
 * ```
 */
export interface SetOptions {
  /**
   * Write only if the live entry's version equals this number; otherwise the
   * result is a conflict and nothing changes. `0` means "only if absent"
   * (create only; an expired entry counts as absent). Omitted: unconditional upsert.
   */
  expectVersion?: number;
}

/**
 * Result of {@link SessionStore.set}. A conflict is an expected outcome, not an
 * error: it tells the caller someone else wrote first.
 *
 * `version` is the entry's new version, or `0` when the write removed the
 * entry because `expiresAt` was not in the future.
 *
 * @example
 * ```ts
 * const result = await store.set(key, input, { expectVersion: 3 });
 * if (!result.ok) reloadAndMerge();
 * ```
 */
export type SetResult = { ok: true; version: number } | { ok: false; conflict: true };

/**
 * One of a user's sessions, as returned by {@link UserIndex.listByUser}.
 *
 * @example
 * ```ts
 * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
 * ```
 */
export interface UserSession {
  /** The store key (a hash, never the raw token). */
  key: string;
  /** A copy of the live entry. */
  entry: StoreEntry;
}

/**
 * Options of {@link UserIndex.deleteByUser}.
 *
 * @example
 * ```ts
 * await store.deleteByUser("u1", { exceptKey: currentKey }); // "log out everywhere else"
 * ```
 */
export interface DeleteByUserOptions {
  /** A key to keep (the current session). */
  exceptKey?: string;
}

/**
 * The session store contract. Every method may reject with a `StoreError`:
 * `StoreUnavailableError` for backend outages, `StoreClosedError` after
 * `close()`, `ERR_STORE_INVALID_*` for arguments outside the contract.
 *
 * Semantics every implementation keeps (the conformance suite checks them):
 * - `get` returns `null` for a missing or expired key and a copy otherwise.
 * - `set` assigns version 1 on creation and `previous + 1` on every write.
 *   With `expectVersion` it is atomic compare-and-set (Redis `WATCH`/Lua,
 *   SQL `WHERE version = ?`, Memcached `cas`); `0` creates only.
 *   When `expiresAt <= now` the write deletes the entry (after the version
 *   check) and returns `{ ok: true, version: 0 }`: an entry is never stored
 *   without a future expiry.
 * - `touch` sets `expiresAt` of a live entry (extending or shortening it),
 *   does not change `version`, value or owner, and is a no-op on a missing or
 *   expired key. `expiresAt <= now` deletes the entry.
 * - `delete` is idempotent.
 * - After `close()` every method rejects with `StoreClosedError`; a second
 *   `close()` resolves.
 *
 * @example
 * ```ts
 * const store: SessionStore = new MemoryStore();
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * const entry = await store.get(key); // { value: "e30", expiresAt, version: 1 }
 * ```
 */
export interface SessionStore {
  /** The live entry under `key`, or `null`. */
  get(key: string): Promise<StoreEntry | null>;
  /** Writes `entry`; see {@link SetOptions} and {@link SetResult}. */
  set(key: string, entry: StoreEntryInput, options?: SetOptions): Promise<SetResult>;
  /** Moves the expiry of a live entry; a no-op on a missing or expired key. */
  touch(key: string, expiresAt: number): Promise<void>;
  /** Removes `key`; resolves whether or not it existed. */
  delete(key: string): Promise<void>;
  /** Optional capability (see {@link UserIndex}); declare both methods or neither. */
  listByUser?(userId: string): Promise<UserSession[]>;
  /** Optional capability (see {@link UserIndex}); declare both methods or neither. */
  deleteByUser?(userId: string, options?: DeleteByUserOptions): Promise<number>;
  /** Releases timers or connections the store owns. Optional. */
  close?(): Promise<void>;
}

/**
 * The optional per-user index capability. A store declares it by having both
 * methods; {@link supportsUserIndex} tells the session manager whether it can
 * offer "log out everywhere".
 *
 * @example
 * ```ts
 * if (supportsUserIndex(store)) await store.deleteByUser(userId);
 * ```
 */
export interface UserIndex {
  /** Live entries owned by `userId`, in no particular order. */
  listByUser(userId: string): Promise<UserSession[]>;
  /** Deletes `userId`'s live entries except `exceptKey`; resolves to how many were deleted. */
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number>;
}

/**
 * A store with the per-user index capability.
 *
 * @example
 * ```ts
 * function revokeAll(store: UserIndexedStore, userId: string) { return store.deleteByUser(userId); }
 * ```
 */
export type UserIndexedStore = SessionStore & UserIndex;
