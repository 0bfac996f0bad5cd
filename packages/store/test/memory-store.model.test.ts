import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SetResult, StoreEntry, UserSession } from "../src/contract.js";
import { MemoryStore } from "../src/memory-store.js";

/** The naive reference: full scans everywhere, an array for recency. Obviously right, slow. */
class ReferenceStore {
  private entries = new Map<string, StoreEntry>();
  private order: string[] = [];
  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}
  private expire(): void {
    for (const [k, e] of [...this.entries]) if (e.expiresAt <= this.now()) this.drop(k);
  }
  private drop(k: string): void {
    this.entries.delete(k);
    this.order = this.order.filter((x) => x !== k);
  }
  private use(k: string): void {
    this.order = this.order.filter((x) => x !== k);
    this.order.push(k);
  }
  get size(): number {
    this.expire();
    return this.entries.size;
  }
  get(k: string): StoreEntry | null {
    this.expire();
    const e = this.entries.get(k);
    if (!e) return null;
    this.use(k);
    return { ...e };
  }
  set(k: string, value: string, expiresAt: number, userId?: string, expect?: number): SetResult {
    this.expire();
    const e = this.entries.get(k);
    if (expect !== undefined && expect !== (e?.version ?? 0)) return { ok: false, conflict: true };
    if (expiresAt <= this.now()) {
      this.drop(k);
      return { ok: true, version: 0 };
    }
    if (!e && this.entries.size >= this.max) this.drop(this.order[0]!);
    const next: StoreEntry = { value, expiresAt, version: (e?.version ?? 0) + 1 };
    if (userId !== undefined) next.userId = userId;
    this.entries.set(k, next);
    this.use(k);
    return { ok: true, version: next.version };
  }
  touch(k: string, expiresAt: number): void {
    this.expire();
    const e = this.entries.get(k);
    if (!e) return;
    if (expiresAt <= this.now()) {
      this.drop(k);
      return;
    }
    e.expiresAt = expiresAt;
    this.use(k);
  }
  delete(k: string): void {
    this.drop(k);
  }
  list(userId: string): UserSession[] {
    this.expire();
    return [...this.entries]
      .filter(([, e]) => e.userId === userId)
      .map(([key, e]) => ({ key, entry: { ...e } }));
  }
  deleteUser(userId: string, except?: string): number {
    this.expire();
    let n = 0;
    for (const [k, e] of [...this.entries]) {
      if (e.userId === userId && k !== except) {
        this.drop(k);
        n++;
      }
    }
    return n;
  }
}

const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h"];
const USERS = ["u1", "u2", "u3"];
const key = fc.constantFrom(...KEYS);
const user = fc.option(fc.constantFrom(...USERS), { nil: undefined });
const offset = fc.integer({ min: -20, max: 200 });
const op = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    key,
    offset,
    user,
    expect: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("get" as const), key }),
  fc.record({ kind: fc.constant("touch" as const), key, offset }),
  fc.record({ kind: fc.constant("delete" as const), key }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ kind: fc.constant("list" as const), user: fc.constantFrom(...USERS) }),
  fc.record({
    kind: fc.constant("deleteUser" as const),
    user: fc.constantFrom(...USERS),
    except: fc.option(key, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("sweep" as const) }),
);

function sorted(list: UserSession[]): UserSession[] {
  return [...list].sort((x, y) => (x.key < y.key ? -1 : 1));
}

describe("MemoryStore against a naive reference (fast-check)", () => {
  it.each([3, 5, Number.POSITIVE_INFINITY])(
    "agrees on every result and size under random operations (maxEntries %s)",
    async (maxEntries) => {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 80 }), async (ops) => {
          let now = 1_000_000;
          const clock = () => now;
          const store = new MemoryStore({ maxEntries, sweepIntervalMs: 0, now: clock });
          const model = new ReferenceStore(maxEntries, clock);
          for (const o of ops) {
            switch (o.kind) {
              case "set": {
                const options = o.expect === undefined ? undefined : { expectVersion: o.expect };
                const input = {
                  value: `v${now}`,
                  expiresAt: now + o.offset,
                  ...(o.user ? { userId: o.user } : {}),
                };
                expect(await store.set(o.key, input, options)).toEqual(
                  model.set(o.key, input.value, input.expiresAt, o.user, o.expect),
                );
                break;
              }
              case "get":
                expect(await store.get(o.key)).toEqual(model.get(o.key));
                break;
              case "touch":
                await store.touch(o.key, now + o.offset);
                model.touch(o.key, now + o.offset);
                break;
              case "delete":
                await store.delete(o.key);
                model.delete(o.key);
                break;
              case "advance":
                now += o.ms;
                break;
              case "list":
                expect(sorted(await store.listByUser(o.user))).toEqual(sorted(model.list(o.user)));
                break;
              case "deleteUser": {
                const options = o.except === undefined ? {} : { exceptKey: o.except };
                expect(await store.deleteByUser(o.user, options)).toBe(
                  model.deleteUser(o.user, o.except),
                );
                break;
              }
              case "sweep":
                store.sweep();
                break;
            }
            expect(store.size).toBe(model.size);
          }
          await store.close();
        }),
        { numRuns: 300 },
      );
    },
  );
});
