// A small third-party store in plain CommonJS, written only against the public
// API. It keeps no per-user index (no listByUser/deleteByUser), which the
// contract allows: the conformance runs below report the index checks as
// skipped, and revokeUser will not work with it.
const {
  StoreClosedError,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
} = require("@tessera/store");

class MapStore {
  #entries = new Map();
  #closed = false;

  async get(key) {
    this.#open();
    const entry = this.#live(validateKey(key));
    return entry ? { ...entry } : null;
  }

  async set(key, input, options) {
    this.#open();
    validateKey(key);
    validateEntry(input, 1 << 20);
    const expected = validateSetOptions(options);
    const current = this.#live(key);
    if (expected !== undefined && expected !== (current?.version ?? 0)) {
      return { ok: false, conflict: true };
    }
    if (input.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return { ok: true, version: 0 };
    }
    const version = (current?.version ?? 0) + 1;
    const entry = { value: input.value, expiresAt: input.expiresAt, version };
    if (input.userId !== undefined) entry.userId = input.userId;
    this.#entries.set(key, entry);
    return { ok: true, version };
  }

  async touch(key, expiresAt) {
    this.#open();
    validateExpiresAt(expiresAt);
    const entry = this.#live(validateKey(key));
    if (!entry) return;
    if (expiresAt <= Date.now()) this.#entries.delete(key);
    else entry.expiresAt = expiresAt;
  }

  async delete(key) {
    this.#open();
    this.#entries.delete(validateKey(key));
  }

  async close() {
    this.#closed = true;
  }

  #open() {
    if (this.#closed) throw new StoreClosedError();
  }

  // Expiry is exact on read: an entry is gone at its expiresAt.
  #live(key) {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.#entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }
}

module.exports = { MapStore };
