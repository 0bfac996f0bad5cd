/**
 * A complete third-party store written only against the public contract of
 * @tessera/store, the way an outside author would: a plain Map, expiry
 * checked on read, compare-and-set done synchronously (so it is atomic in one
 * JavaScript thread), a per-user index, and the contract's typed errors.
 * The README's "Write your own store" guide walks through it.
 */
import {
  type DeleteByUserOptions,
  type SessionStore,
  type SetOptions,
  type SetResult,
  StoreClosedError,
  type StoreEntry,
  type StoreEntryInput,
  type UserIndex,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";

export class MapStore implements SessionStore, UserIndex {
  private readonly entries = new Map<string, StoreEntry>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<StoreEntry | null> {
    this.open();
    const entry = this.live(validateKey(key));
    return entry ? { ...entry } : null;
  }

  async set(key: string, input: StoreEntryInput, options?: SetOptions): Promise<SetResult> {
    this.open();
    validateKey(key);
    validateEntry(input, 1024 * 1024);
    const expected = validateSetOptions(options);
    const current = this.live(key);
    if (expected !== undefined && expected !== (current?.version ?? 0)) {
      return { ok: false, conflict: true };
    }
    if (input.expiresAt <= this.now()) {
      this.entries.delete(key);
      return { ok: true, version: 0 };
    }
    const entry: StoreEntry = {
      value: input.value,
      expiresAt: input.expiresAt,
      version: (current?.version ?? 0) + 1,
    };
    if (input.userId !== undefined) entry.userId = input.userId;
    this.entries.set(key, entry);
    return { ok: true, version: entry.version };
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    this.open();
    validateKey(key);
    validateExpiresAt(expiresAt);
    const entry = this.live(key);
    if (!entry) return;
    if (expiresAt <= this.now()) this.entries.delete(key);
    else entry.expiresAt = expiresAt;
  }

  async delete(key: string): Promise<void> {
    this.open();
    this.entries.delete(validateKey(key));
  }

  async listByUser(userId: string): Promise<UserSession[]> {
    this.open();
    validateUserId(userId);
    const out: UserSession[] = [];
    for (const key of [...this.entries.keys()]) {
      const entry = this.live(key);
      if (entry?.userId === userId) out.push({ key, entry: { ...entry } });
    }
    return out;
  }

  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    this.open();
    validateUserId(userId);
    if (options.exceptKey !== undefined) validateKey(options.exceptKey);
    let deleted = 0;
    for (const { key } of await this.listByUser(userId)) {
      if (key === options.exceptKey) continue;
      this.entries.delete(key);
      deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
  }

  private open(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /** The entry if it has not expired; expired entries are dropped on sight. */
  private live(key: string): StoreEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
