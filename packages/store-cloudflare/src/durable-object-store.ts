import type { SetResult, StoreEntry, StoreEntryInput, UserSession } from "@tessera/store";
import { CheckedStore } from "@tessera/store/driver";
import { type DurableObjectStoreOptions, resolveOptions } from "./lib/options.js";
import type { Call } from "./lib/protocol.js";
import { entryOf, malformed, Objects } from "./lib/transport.js";

export type { DurableObjectStoreOptions } from "./lib/options.js";

/**
 * A Tessera session store on Cloudflare Durable Objects, for Workers.
 *
 * Sessions are spread over a fixed number of objects ({@link SessionStoreObject})
 * by a SHA-256 hash of the key, so a load costs one Durable Object request and
 * a commit one more; each object keeps its sessions, their per-user index and
 * their expiry queue in its own strongly consistent storage, and decides each
 * compare-and-set alone. `listByUser` and `deleteByUser` ("log out
 * everywhere") ask every object once, in parallel.
 *
 * A failed, refused or timed-out object request rejects with
 * `StoreUnavailableError` (503 through the adapters), never "no session".
 *
 * @example
 * ```ts
 * import { DurableObjectStore } from "@tessera/store-cloudflare";
 *
 * const store = new DurableObjectStore({ namespace: env.SESSIONS });
 * await store.set(key, { value: "e30", expiresAt: Date.now() + 60_000 }, { expectVersion: 0 });
 * ```
 */
export class DurableObjectStore extends CheckedStore {
  /** The objects' family name. */
  readonly name: string;
  /** How many objects the sessions are spread over. */
  readonly shards: number;
  /** The per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly #objects: Objects;

  constructor(options: DurableObjectStoreOptions) {
    const resolved = resolveOptions(options);
    super(resolved.maxValueBytes);
    this.name = resolved.name;
    this.shards = resolved.shards;
    this.timeoutMs = resolved.timeoutMs;
    this.#objects = new Objects(resolved);
  }

  /**
   * The live entry under `key`, or `null`: one request to the key's object.
   *
   * @example
   * ```ts
   * const entry = await store.get(key); // { value, expiresAt, userId?, version } | null
   * ```
   */
  protected override async getEntry(key: string): Promise<StoreEntry | null> {
    const result = await this.#objects.forKey(key, "get", { key });
    if (result === null) return null;
    const entry = entryOf(result);
    if (entry === null) throw malformed("get", "something that is not an entry");
    return entry;
  }

  /**
   * Writes `entry`, optionally only if the live version equals
   * `expectVersion` (0: create only): one request, decided by the key's
   * object alone.
   *
   * @example
   * ```ts
   * const result = await store.set(key, { value, expiresAt, userId }, { expectVersion: 3 });
   * if (!result.ok) console.log("someone else wrote first");
   * ```
   */
  protected override async setEntry(
    key: string,
    entry: StoreEntryInput,
    expectVersion: number | undefined,
  ): Promise<SetResult> {
    const call: Omit<Call, "now"> = { key, value: entry.value, expiresAt: entry.expiresAt };
    if (entry.userId !== undefined) call.userId = entry.userId;
    if (expectVersion !== undefined) call.expectVersion = expectVersion;
    const result = (await this.#objects.forKey(key, "set", call)) as SetResult | null;
    if (result?.ok === true && Number.isSafeInteger(result.version) && result.version >= 0) {
      return { ok: true, version: result.version };
    }
    if (result?.ok === false && result.conflict === true) return { ok: false, conflict: true };
    throw malformed("set", "something that is not a SetResult");
  }

  /**
   * Moves the expiry of a live entry; a no-op on a missing or expired key;
   * `expiresAt <= now` deletes. One request.
   *
   * @example
   * ```ts
   * await store.touch(key, Date.now() + 30 * 60_000);
   * ```
   */
  protected override async touchEntry(key: string, expiresAt: number): Promise<void> {
    await this.#objects.forKey(key, "touch", { key, expiresAt });
  }

  /**
   * Removes `key` (and its index and expiry entries); idempotent. One request.
   *
   * @example
   * ```ts
   * await store.delete(key);
   * ```
   */
  protected override async deleteEntry(key: string): Promise<void> {
    await this.#objects.forKey(key, "delete", { key });
  }

  /**
   * The live entries `userId` owns, from every object (one request each, in parallel).
   *
   * @example
   * ```ts
   * for (const { key, entry } of await store.listByUser("u1")) console.log(key, entry.expiresAt);
   * ```
   */
  protected override async listUserEntries(userId: string): Promise<UserSession[]> {
    const answers = await this.#objects.everyShard("list", { userId });
    const out: UserSession[] = [];
    for (const answer of answers) {
      if (!Array.isArray(answer)) throw malformed("list", "something that is not a list");
      for (const item of answer as UserSession[]) {
        const entry = entryOf(item?.entry);
        if (typeof item?.key !== "string" || entry === null) {
          throw malformed("list", "an item that is not a session");
        }
        out.push({ key: item.key, entry });
      }
    }
    return out;
  }

  /**
   * Deletes `userId`'s live entries except `exceptKey` on every object (one
   * request each, in parallel) and resolves to how many it deleted.
   *
   * @example
   * ```ts
   * await store.deleteByUser("u1", { exceptKey: currentKey }); // "log out everywhere else"
   * ```
   */
  protected override async deleteUserEntries(
    userId: string,
    except: string | undefined,
  ): Promise<number> {
    const call: Omit<Call, "now"> = { userId };
    if (except !== undefined) call.exceptKey = except;
    const answers = await this.#objects.everyShard("deleteByUser", call);
    let total = 0;
    for (const answer of answers) {
      if (typeof answer !== "number" || !Number.isSafeInteger(answer) || answer < 0) {
        throw malformed("deleteByUser", "something that is not a count");
      }
      total += answer;
    }
    return total;
  }

  /** On `close()`: requests not yet sent reject too. The objects keep their sessions. */
  protected override release(): void {
    this.#objects.closed = true;
  }
}
