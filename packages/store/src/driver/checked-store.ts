import type * as Contract from "../contract.js";
import { StoreClosedError } from "../errors.js";
import {
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "../validate.js";

/**
 * The entry policy every store driver shares, written once: each
 * `SessionStore` and `UserIndex` method rejects with
 * `StoreClosedError` after `close()` and with the contract's
 * `ERR_STORE_INVALID_*` errors on bad input, before the driver's own
 * operation runs (as a rejection, never a synchronous throw). A driver
 * extends it and writes only the `*Entry`/`*UserEntries` operations, which
 * receive checked input.
 *
 * @example
 * ```ts
 * class MyStore extends CheckedStore {
 *   constructor() {
 *     super(65_536); // the largest value accepted, in UTF-8 bytes
 *   }
 *   protected async getEntry(key: string) {
 *     return null; // key is a valid store key and the store is open
 *   }
 *   // ... setEntry, touchEntry, deleteEntry, listUserEntries, deleteUserEntries
 * }
 * ```
 */
export abstract class CheckedStore implements Contract.SessionStore, Contract.UserIndex {
  /**
   * The largest `entry.value` `set` accepts, in UTF-8 bytes; a larger one
   * rejects with `ERR_STORE_VALUE_TOO_LARGE` before the backend is asked.
   */
  readonly maxValueBytes: number;
  // Plain (TypeScript-private) members, not `#` ones: a `#` member throws a
  // TypeError when a method runs on a Proxy or an `Object.create` wrapper of
  // the store, a common way to instrument one.
  private closedFlag = false;

  /** @param maxValueBytes - The largest `entry.value` `set` accepts, in UTF-8 bytes. */
  protected constructor(maxValueBytes: number) {
    this.maxValueBytes = maxValueBytes;
  }

  /**
   * The live entry under `key`, or `null` when it is missing or expired.
   *
   * @example
   * ```ts
   * const entry = await store.get(key); // { value, expiresAt, userId?, version } | null
   * ```
   */
  get(key: string): Promise<Contract.StoreEntry | null> {
    return this.checkedCall(() => this.getEntry(validateKey(key)));
  }

  /**
   * Writes `entry`, optionally only if the live version equals
   * `expectVersion` (0: create only); `expiresAt <= now` deletes after the
   * version check.
   *
   * @example
   * ```ts
   * const result = await store.set(key, { value, expiresAt, userId }, { expectVersion: 3 });
   * if (!result.ok) console.log("someone else wrote first");
   * ```
   */
  set(
    key: string,
    entry: Contract.StoreEntryInput,
    options?: Contract.SetOptions,
  ): Promise<Contract.SetResult> {
    return this.checkedCall(() => {
      validateKey(key);
      validateEntry(entry, this.maxValueBytes);
      return this.setEntry(key, entry, validateSetOptions(options));
    });
  }

  /**
   * Moves the expiry of a live entry without changing its value, owner or
   * version; a no-op on a missing or expired key; `expiresAt <= now` deletes.
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 30 * 60_000);
   * ```
   */
  touch(key: string, expiresAt: number): Promise<void> {
    return this.checkedCall(() => {
      validateKey(key);
      return this.touchEntry(key, validateExpiresAt(expiresAt));
    });
  }

  /**
   * Removes `key`; resolves whether or not it existed.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  delete(key: string): Promise<void> {
    return this.checkedCall(() => this.deleteEntry(validateKey(key)));
  }

  /**
   * The live entries `userId` owns, in no particular order.
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  listByUser(userId: string): Promise<Contract.UserSession[]> {
    return this.checkedCall(() => this.listUserEntries(validateUserId(userId)));
  }

  /**
   * Deletes `userId`'s live entries except `exceptKey` ("log out everywhere
   * else") and resolves to how many it deleted.
   *
   * @example
   * ```ts
   * await store.deleteByUser("u1", { exceptKey: currentKey });
   * ```
   */
  deleteByUser(userId: string, options?: Contract.DeleteByUserOptions): Promise<number> {
    return this.checkedCall(() => {
      validateUserId(userId);
      const except = options?.exceptKey;
      return this.deleteUserEntries(userId, except === undefined ? undefined : validateKey(except));
    });
  }

  /**
   * Marks the store closed, then lets the driver release what it owns (see
   * {@link CheckedStore.release}); every later call rejects with
   * `StoreClosedError`. Idempotent.
   *
   * @example
   * ```ts
   * await store.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    await this.release();
  }

  /**
   * Runs a method's checks and its operation once the store is open; a
   * throw becomes the returned promise's rejection, never a synchronous one.
   * No `async` wrapper: the operation's own promise is returned as it is.
   */
  private checkedCall<T>(run: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** True once `close()` has been called. */
  protected get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Throws `StoreClosedError` once the store is closed: the methods call it
   * first, and a driver calls it between the steps of a longer operation.
   */
  protected assertOpen(): void {
    if (this.closedFlag) throw new StoreClosedError();
  }

  /** What `close()` frees besides the closed mark (timers, caches); nothing by default. */
  protected release(): void | Promise<void> {}

  /** `get` on a valid key of an open store. */
  protected abstract getEntry(key: string): Promise<Contract.StoreEntry | null>;

  /** `set` with a valid key and entry; `expectVersion` checked, `undefined` when not given. */
  protected abstract setEntry(
    key: string,
    entry: Contract.StoreEntryInput,
    expectVersion: number | undefined,
  ): Promise<Contract.SetResult>;

  /** `touch` with a valid key and instant. */
  protected abstract touchEntry(key: string, expiresAt: number): Promise<void>;

  /** `delete` on a valid key. */
  protected abstract deleteEntry(key: string): Promise<void>;

  /** `listByUser` with a valid user id. */
  protected abstract listUserEntries(userId: string): Promise<Contract.UserSession[]>;

  /** `deleteByUser` with a valid user id and, when given, a valid key to keep. */
  protected abstract deleteUserEntries(
    userId: string,
    exceptKey: string | undefined,
  ): Promise<number>;
}
