import {
  type SetResult,
  type StoreEntry,
  StoreError,
  type UserSession,
  validateEntry,
  validateExpiresAt,
  validateKey,
  validateSetOptions,
  validateUserId,
} from "@tessera/store";
import type { DurableObjectStateLike, DurableObjectStorageLike } from "./cloudflare.js";
import {
  type Call,
  type ErrorAnswer,
  MAX_VALUE_BYTES_LIMIT,
  OPS,
  type Op,
  PATH,
} from "./lib/protocol.js";
import { asRecord, type SessionRecord, toEntry, toRecord } from "./lib/record.js";

// Storage limits of one put, delete or get call (Durable Object storage API).
const BATCH = 128;
// Expired sessions reclaimed per alarm run; a longer backlog schedules the next run at once.
const SWEEP = 256;
// An alarm is never scheduled further out than this: a run that finds nothing
// due simply schedules the next one (an entry may live for decades).
const MAX_ALARM_DELAY_MS = 7 * 86_400_000;
// expiresAt is a non-negative safe integer once stored (it is in the future):
// 16 digits sort the expiry queue in time order.
const EXPIRY_DIGITS = 16;

const CONFLICT: SetResult = Object.freeze({ ok: false, conflict: true }) as SetResult;

const sessionKey = (key: string) => `s:${key}`;
// The user id's length first, so that no user's prefix is a prefix of another's
// ("u:1:a:" never matches the keys of user "a:b", which live under "u:3:a:b:").
const userPrefix = (userId: string) => `u:${userId.length}:${userId}:`;
const expiryKey = (expiresAt: number, key: string) =>
  `x:${String(expiresAt).padStart(EXPIRY_DIGITS, "0")}:${key}`;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function refuse(code: string, message: string): Response {
  const body: ErrorAnswer = { error: { code, message } };
  // Arguments outside the contract are the caller's; anything else is this object's.
  return json(body, code.startsWith("ERR_STORE_INVALID") ? 400 : 500);
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

function integer(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new StoreError("ERR_STORE_INVALID_VALUE", `request field ${name} is not an integer`);
  }
  return value;
}

/**
 * The Durable Object behind {@link DurableObjectStore}: one shard of the
 * sessions. Export it from your Worker under the class name your wrangler
 * configuration declares (see the README); the store client is its only
 * caller.
 *
 * Each object keeps, in its own storage:
 * - `s:<key>`: the session (value as UTF-8, expiresAt, version, owner);
 * - `u:<length>:<userId>:<key>`: the per-user index of the sessions it holds;
 * - `x:<expiresAt>:<key>`: the expiry queue its alarm reclaims storage from.
 *
 * An object runs one request at a time between storage calls (its input
 * gate), so each read-decide-write is atomic without locks, and the writes of
 * one request are committed together: a session never exists without its
 * index and queue entries.
 *
 * @example
 * ```ts
 * // worker.ts
 * export { SessionStoreObject } from "@tessera/store-cloudflare";
 * ```
 */
export class SessionStoreObject {
  readonly #storage: DurableObjectStorageLike;
  /** The alarm time this object last saw or set; `undefined` until read once. */
  #alarmAt: number | null | undefined;

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  /**
   * Answers one store call from {@link DurableObjectStore}. Bad requests get a
   * 400 with a `StoreError` code; storage failures throw, which the caller's
   * stub reports as a rejected `fetch` (and the store as `StoreUnavailableError`).
   *
   * @example
   * ```ts
   * const response = await object.fetch(new Request("https://x.invalid/v1/get", { method: "POST", body: "{}" }));
   * ```
   */
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    const op = pathname.startsWith(PATH) ? (pathname.slice(PATH.length) as Op) : undefined;
    if (request.method !== "POST" || op === undefined || !OPS.includes(op)) {
      return refuse("ERR_STORE_INVALID_VALUE", `unknown session store request ${pathname}`);
    }
    let call: Call;
    try {
      call = (await request.json()) as Call;
      if (typeof call !== "object" || call === null) throw new TypeError("not an object");
      integer(call.now, "now");
    } catch {
      return refuse("ERR_STORE_INVALID_VALUE", "session store request body is not a call");
    }
    try {
      return json({ result: await this.#run(op, call) });
    } catch (error) {
      // Storage failures are not StoreErrors: they propagate to the caller's stub.
      if (StoreError.isInstance(error)) return refuse(error.code, error.message);
      throw error;
    }
  }

  /**
   * Reclaims the storage of expired sessions (up to 256 per run), then
   * schedules the next run at the earliest expiry left. Called by the runtime.
   *
   * @example
   * ```ts
   * await object.alarm(); // the runtime calls it at the scheduled time
   * ```
   */
  async alarm(): Promise<void> {
    const now = Date.now();
    const due = await this.#storage.list({
      prefix: "x:",
      end: expiryKey(now + 1, ""),
      limit: SWEEP,
    });
    const keys = [...due.keys()].map((k) => k.slice(2 + EXPIRY_DIGITS + 1));
    const deletes: string[] = [...due.keys()];
    for (const part of chunks(keys)) {
      const found = await this.#storage.get(part.map(sessionKey));
      for (const key of part) {
        const stored = found.get(sessionKey(key));
        if (stored === undefined) continue;
        let record: SessionRecord;
        try {
          record = asRecord(stored, key);
        } catch {
          continue; // not ours to reclaim
        }
        if (record.e <= now) deletes.push(...this.#removal(key, record));
      }
    }
    await this.#apply({}, [...new Set(deletes)]);
    this.#alarmAt = null;
    if (due.size >= SWEEP) {
      await this.#schedule(now, now);
      return;
    }
    const next = await this.#storage.list({ prefix: "x:", limit: 1 });
    const first = next.keys().next();
    if (first.done !== true) {
      await this.#schedule(Number(first.value.slice(2, 2 + EXPIRY_DIGITS)), now);
    }
  }

  async #run(op: Op, call: Call): Promise<unknown> {
    const now = call.now;
    switch (op) {
      case "get":
        return this.#get(validateKey(call.key as string), now);
      case "set": {
        const key = validateKey(call.key as string);
        const entry = {
          value: call.value as string,
          expiresAt: call.expiresAt as number,
          userId: call.userId,
        };
        validateEntry(entry, MAX_VALUE_BYTES_LIMIT);
        const expected = validateSetOptions({ expectVersion: call.expectVersion as number });
        return this.#set(key, entry.value, entry.expiresAt, entry.userId, expected, now);
      }
      case "touch":
        return this.#touch(
          validateKey(call.key as string),
          validateExpiresAt(call.expiresAt as number),
          now,
        );
      case "delete":
        return this.#delete(validateKey(call.key as string));
      case "list":
        return this.#list(validateUserId(call.userId as string), now);
      case "deleteByUser": {
        const userId = validateUserId(call.userId as string);
        const except = call.exceptKey === undefined ? undefined : validateKey(call.exceptKey);
        return this.#deleteByUser(userId, except, now);
      }
    }
  }

  async #read(key: string): Promise<SessionRecord | undefined> {
    const stored = (await this.#storage.get([sessionKey(key)])).get(sessionKey(key));
    return stored === undefined ? undefined : asRecord(stored, key);
  }

  async #get(key: string, now: number): Promise<StoreEntry | null> {
    const record = await this.#read(key);
    if (record === undefined) return null;
    if (record.e <= now) {
      // Reclaimed on access; the alarm would get to it too.
      await this.#apply({}, this.#removal(key, record));
      return null;
    }
    return toEntry(record, key);
  }

  async #set(
    key: string,
    value: string,
    expiresAt: number,
    userId: string | undefined,
    expected: number | undefined,
    now: number,
  ): Promise<SetResult> {
    const old = await this.#read(key);
    const live = old !== undefined && old.e > now;
    if (expected === 0 && live) return CONFLICT;
    if (expected !== undefined && expected > 0 && (!live || old.n !== expected)) return CONFLICT;
    if (expiresAt <= now) {
      // After the version check: an entry is never stored without a future expiry.
      if (old !== undefined) await this.#apply({}, this.#removal(key, old));
      return { ok: true, version: 0 };
    }
    const version = live ? old.n + 1 : 1;
    const puts: Record<string, unknown> = {
      [sessionKey(key)]: toRecord(value, expiresAt, version, userId),
      [expiryKey(expiresAt, key)]: 0,
    };
    if (userId !== undefined) puts[userPrefix(userId) + key] = expiresAt;
    const deletes: string[] = [];
    if (old !== undefined) {
      if (old.e !== expiresAt) deletes.push(expiryKey(old.e, key));
      if (old.u !== undefined && old.u !== userId) deletes.push(userPrefix(old.u) + key);
    }
    await this.#apply(puts, deletes);
    await this.#schedule(expiresAt, Date.now());
    return { ok: true, version };
  }

  async #touch(key: string, expiresAt: number, now: number): Promise<null> {
    const old = await this.#read(key);
    if (old === undefined) return null;
    if (old.e <= now || expiresAt <= now) {
      await this.#apply({}, this.#removal(key, old));
      return null;
    }
    if (old.e === expiresAt) return null;
    const puts: Record<string, unknown> = {
      [sessionKey(key)]: { ...old, e: expiresAt },
      [expiryKey(expiresAt, key)]: 0,
    };
    if (old.u !== undefined) puts[userPrefix(old.u) + key] = expiresAt;
    await this.#apply(puts, [expiryKey(old.e, key)]);
    await this.#schedule(expiresAt, Date.now());
    return null;
  }

  async #delete(key: string): Promise<null> {
    let old: SessionRecord | undefined;
    try {
      old = await this.#read(key);
    } catch {
      // A record this store did not write: remove the key alone.
      await this.#apply({}, [sessionKey(key)]);
      return null;
    }
    if (old !== undefined) await this.#apply({}, this.#removal(key, old));
    return null;
  }

  /** The user's indexed sessions here: each key with its record (if any). */
  async #indexed(userId: string): Promise<Array<[string, SessionRecord | undefined]>> {
    const prefix = userPrefix(userId);
    const index = await this.#storage.list({ prefix });
    const keys = [...index.keys()].map((k) => k.slice(prefix.length));
    const out: Array<[string, SessionRecord | undefined]> = [];
    for (const part of chunks(keys)) {
      const found = await this.#storage.get(part.map(sessionKey));
      for (const key of part) {
        const stored = found.get(sessionKey(key));
        let record: SessionRecord | undefined;
        try {
          record = stored === undefined ? undefined : asRecord(stored, key);
        } catch {
          record = undefined;
        }
        out.push([key, record]);
      }
    }
    return out;
  }

  async #list(userId: string, now: number): Promise<UserSession[]> {
    const out: UserSession[] = [];
    for (const [key, record] of await this.#indexed(userId)) {
      if (record !== undefined && record.u === userId && record.e > now) {
        out.push({ key, entry: toEntry(record, key) });
      }
    }
    return out;
  }

  async #deleteByUser(userId: string, except: string | undefined, now: number): Promise<number> {
    let count = 0;
    const deletes: string[] = [];
    for (const [key, record] of await this.#indexed(userId)) {
      if (key === except) continue;
      if (record === undefined || record.u !== userId) {
        // An index entry without its session: clear it on the way.
        deletes.push(userPrefix(userId) + key);
        continue;
      }
      if (record.e > now) count++;
      deletes.push(...this.#removal(key, record));
    }
    await this.#apply({}, deletes);
    return count;
  }

  /** The storage keys of a session: record, index entry and queue entry. */
  #removal(key: string, record: SessionRecord): string[] {
    const keys = [sessionKey(key), expiryKey(record.e, key)];
    if (record.u !== undefined) keys.push(userPrefix(record.u) + key);
    return keys;
  }

  /**
   * Writes and deletes together. Calls issued without an await between them
   * are committed as one atomic batch (the object's write coalescing), and
   * the answer waits until they are durable (its output gate).
   */
  async #apply(puts: Record<string, unknown>, deletes: string[]): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const part of chunks(deletes)) pending.push(this.#storage.delete(part));
    const entries = Object.entries(puts);
    for (const part of chunks(entries)) pending.push(this.#storage.put(Object.fromEntries(part)));
    await Promise.all(pending);
  }

  /** Makes sure an alarm runs no later than `expiresAt` (or a week from now). */
  async #schedule(expiresAt: number, now: number): Promise<void> {
    if (this.#alarmAt === undefined) this.#alarmAt = await this.#storage.getAlarm();
    const at = Math.min(expiresAt, now + MAX_ALARM_DELAY_MS);
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    await this.#storage.setAlarm(at);
    this.#alarmAt = at;
  }
}
