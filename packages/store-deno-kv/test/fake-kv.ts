import type {
  KvAtomicCheckLike,
  KvAtomicLike,
  KvCommitResultLike,
  KvEntryMaybeLike,
  KvKey,
  KvLike,
} from "../src/index.js";

interface Stored {
  key: KvKey;
  value: unknown;
  versionstamp: string;
  expireIn: number | undefined;
}

type Mutation =
  | { type: "set"; key: KvKey; value: unknown; expireIn: number | undefined }
  | { type: "delete"; key: KvKey };

/** The latest instant (epoch ms) Deno KV accepts as `now + expireIn`. */
const MAX_DEADLINE = 8_210_266_876_799_999;

function id(key: KvKey): string {
  return JSON.stringify(key.map((part) => `${typeof part}:${String(part)}`));
}

function startsWith(key: KvKey, prefix: KvKey): boolean {
  return key.length > prefix.length && prefix.every((part, i) => key[i] === part);
}

/**
 * An in-memory stand-in for `Deno.Kv` on Node: versionstamps per commit,
 * atomic checks, `getMany`'s 10-key limit and structured-cloned values. It
 * never expires anything (KV's `expireIn` is only a hint either way) and
 * records the calls it receives.
 */
export class FakeKv implements KvLike {
  readonly calls: string[] = [];
  readonly #entries = new Map<string, Stored>();
  #version = 0;

  async get(key: KvKey): Promise<KvEntryMaybeLike> {
    this.calls.push("get");
    return this.#read(key);
  }

  async getMany(keys: readonly KvKey[]): Promise<KvEntryMaybeLike[]> {
    this.calls.push("getMany");
    if (keys.length > 10) throw new TypeError("Too many ranges (max 10)");
    return keys.map((key) => this.#read(key));
  }

  async *list(selector: { prefix: KvKey }): AsyncIterable<KvEntryMaybeLike> {
    this.calls.push("list");
    const found = [...this.#entries.values()].filter((e) => startsWith(e.key, selector.prefix));
    for (const entry of found) yield this.#read(entry.key);
  }

  atomic(): KvAtomicLike {
    this.calls.push("atomic");
    const checks: KvAtomicCheckLike[] = [];
    const mutations: Mutation[] = [];
    const op: KvAtomicLike = {
      check: (...more) => {
        checks.push(...more);
        return op;
      },
      set: (key, value, options) => {
        const expireIn = options?.expireIn;
        // Deno KV refuses a deadline past its largest date (measured on Deno 2.9).
        if (expireIn !== undefined && Date.now() + expireIn > MAX_DEADLINE) {
          throw new TypeError(`Invalid mutation: expireIn is too large: ${expireIn}`);
        }
        mutations.push({ type: "set", key, value, expireIn });
        return op;
      },
      delete: (key) => {
        mutations.push({ type: "delete", key });
        return op;
      },
      commit: async (): Promise<KvCommitResultLike> => {
        for (const check of checks) {
          if ((this.#entries.get(id(check.key))?.versionstamp ?? null) !== check.versionstamp) {
            return { ok: false };
          }
        }
        const versionstamp = this.#nextStamp();
        for (const m of mutations) {
          if (m.type === "delete") this.#entries.delete(id(m.key));
          else {
            const value = structuredClone(m.value);
            this.#entries.set(id(m.key), { key: m.key, value, versionstamp, expireIn: m.expireIn });
          }
        }
        return { ok: true, versionstamp };
      },
    };
    return op;
  }

  /** Writes a raw value as one commit, as another program sharing the database would. */
  put(key: KvKey, value: unknown, versionstamp = this.#nextStamp()): void {
    this.#entries.set(id(key), { key, value, versionstamp, expireIn: undefined });
  }

  /** Every stored entry, with the `expireIn` it was written with. */
  dump(): Stored[] {
    return [...this.#entries.values()];
  }

  #nextStamp(): string {
    this.#version += 1;
    return this.#version.toString(16).padStart(20, "0");
  }

  #read(key: KvKey): KvEntryMaybeLike {
    const found = this.#entries.get(id(key));
    if (found === undefined) return { key, value: null, versionstamp: null };
    return { key, value: structuredClone(found.value), versionstamp: found.versionstamp };
  }
}
