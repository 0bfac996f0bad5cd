import { StoreError } from "@tessera/store";
import { isStoreKey } from "@tessera/store/driver";
import type { CasToken, MemcachedClient } from "../client.js";
import { toExptime } from "./exptime.js";
import {
  decodeIndexItem,
  decodeSessionItem,
  encodeIndexItem,
  type IndexItem,
  type SessionItem,
} from "./item.js";
import { indexKey, memcachedKey } from "./keys.js";

// A user's index records each member as living this much longer than its
// session, so sliding expiry rewrites the index at most about once an hour.
const INDEX_SLACK_MS = 3_600_000;
// memcached's per-item overhead (item header, CAS, suffix, "\r\n") stays below this.
export const ITEM_OVERHEAD_BYTES = 64;
// CAS retries before giving up under contention (each retry means another
// writer changed the item in between, so progress is being made).
export const MAX_ATTEMPTS = 32;

/** An item as `gets` returns it. */
export interface Hit {
  value: Uint8Array;
  cas: CasToken;
}

/** A session item, decoded, and whether it is live now. */
export interface Judged {
  item: SessionItem | null;
  live: boolean;
}

/** One bounded Memcached call (the store's `timeoutMs`, failures as `StoreUnavailableError`). */
export type Call = <T>(what: string, op: (client: MemcachedClient) => Promise<T>) => Promise<T>;

function randomGeneration(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Too many writers raced on one item: each lost CAS means another wrote. */
export function contention(key: string): StoreError {
  return new StoreError(
    "ERR_STORE_BACKEND",
    `gave up after ${MAX_ATTEMPTS} CAS attempts on key ${key}: too many concurrent writers`,
  );
}

/**
 * The per-user index items and the rule that ties a session to one: a
 * session is live only while it carries the current generation of its
 * owner's index item, so an evicted or deleted index logs its sessions out
 * (revocation fails closed, never misses a session).
 */
export class UserIndexItems {
  readonly #call: Call;
  readonly #prefix: string;
  readonly #maxItemBytes: number;

  constructor(call: Call, prefix: string, maxItemBytes: number) {
    this.#call = call;
    this.#prefix = prefix;
    this.#maxItemBytes = maxItemBytes;
  }

  /**
   * Decodes a hit and decides whether it is live: not expired and, when
   * owned, bound to the current generation of its owner's index item.
   * `knownUserId`/`knownIndex` reuse an index item already fetched.
   */
  async judge(
    hit: Hit | null,
    now: number,
    knownUserId?: string,
    knownIndex?: Hit | null,
  ): Promise<Judged> {
    if (hit === null) return { item: null, live: false };
    const item = decodeSessionItem(hit.value);
    if (item.expiresAt <= now) return { item, live: false };
    if (item.userId === undefined) return { item, live: true };
    const owner = item.userId;
    const index =
      owner === knownUserId && knownIndex !== undefined
        ? knownIndex
        : await this.#call("get", (c) => c.gets(indexKey(this.#prefix, owner)));
    const live = index !== null && decodeIndexItem(index.value).generation === item.generation;
    return { item, live };
  }

  /**
   * Makes sure `key` is a member of the index item at `ownerKey`, recorded as
   * living at least until `expiresAt`, and returns the index's generation.
   * With `require`, only an index of that generation is accepted (`null`
   * otherwise): a touch must not re-bind a session whose index was lost.
   */
  async bind(
    ownerKey: string,
    key: string,
    expiresAt: number,
    snapshot: Hit | null | undefined,
    require: string | undefined,
  ): Promise<string | null> {
    let next: Hit | null | undefined = snapshot;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const hit = next !== undefined ? next : await this.#call("get", (c) => c.gets(ownerKey));
      next = undefined;
      const now = Date.now();
      if (hit === null) {
        if (require !== undefined) return null;
        const members: Record<string, number> = Object.create(null);
        members[key] = expiresAt + INDEX_SLACK_MS;
        const index: IndexItem = { generation: randomGeneration(), members };
        const outcome = await this.#call("index add", (c) =>
          c.add(ownerKey, this.#encodeIndex(index), toExptime(expiresAt + INDEX_SLACK_MS, now)),
        );
        if (outcome === "stored") return index.generation;
        continue;
      }
      const index = decodeIndexItem(hit.value);
      if (require !== undefined && index.generation !== require) return null;
      const recorded = index.members[key];
      if (recorded !== undefined && recorded >= expiresAt) return index.generation;
      let latest = expiresAt + INDEX_SLACK_MS;
      for (const [member, until] of Object.entries(index.members)) {
        // Only time-based pruning here: a member whose session is merely missing
        // may be in the middle of being written by another request.
        if (until <= now) delete index.members[member];
        else if (until > latest) latest = until;
      }
      index.members[key] = expiresAt + INDEX_SLACK_MS;
      const outcome = await this.#call("index cas", (c) =>
        c.cas(ownerKey, this.#encodeIndex(index), toExptime(latest, now), hit.cas),
      );
      if (outcome === "stored") return index.generation;
    }
    throw contention(ownerKey);
  }

  #encodeIndex(index: IndexItem): Uint8Array {
    const bytes = encodeIndexItem(index);
    if (bytes.length + ITEM_OVERHEAD_BYTES + 100 > this.#maxItemBytes) {
      throw new StoreError(
        "ERR_STORE_VALUE_TOO_LARGE",
        `a user's index item would be ${bytes.length} bytes (maxItemBytes ${this.#maxItemBytes}): too many live sessions for one user`,
      );
    }
    return bytes;
  }

  /** The user's live sessions, each bound to the index's current generation. */
  async members(userId: string): Promise<Array<{ key: string; item: SessionItem }>> {
    const hit = await this.#call("get", (c) => c.gets(indexKey(this.#prefix, userId)));
    if (hit === null) return [];
    const index = decodeIndexItem(hit.value);
    const keys = Object.keys(index.members).filter(isStoreKey);
    const hits = await Promise.all(
      keys.map((key) => this.#call("get", (c) => c.gets(memcachedKey(this.#prefix, key)))),
    );
    const now = Date.now();
    const out: Array<{ key: string; item: SessionItem }> = [];
    hits.forEach((member, i) => {
      if (member === null) return;
      const item = decodeSessionItem(member.value);
      if (item.expiresAt > now && item.userId === userId && item.generation === index.generation) {
        out.push({ key: keys[i] as string, item });
      }
    });
    return out;
  }
}
