import { describe, expect, it } from "vitest";
import { mergeInto, noChanges } from "../src/lib/changes.js";
import { emptyBag, type SessionRecord } from "../src/lib/record.js";

function record(data: Record<string, unknown>, extra: Partial<SessionRecord> = {}): SessionRecord {
  const bag = emptyBag();
  Object.assign(bag, data);
  return { v: 1, createdAt: 100, lastSeenAt: 200, data: bag, ...extra };
}

describe("mergeInto", () => {
  it("re-applies only this request's keys on top of the stored record", () => {
    const changes = noChanges();
    changes.data.set("cart", { op: "set", value: [1] });
    changes.data.set("gone", { op: "delete" });
    const stored = record({ theme: "dark", gone: true, cart: [] });
    const merged = mergeInto(stored, changes, 300, undefined);
    expect({ ...merged.data }).toEqual({ theme: "dark", cart: [1] });
    expect(merged.lastSeenAt).toBe(300);
  });

  it("never reverts userId, authTime or createdAt: a merge keeps identity from the newer write", () => {
    const changes = noChanges();
    changes.data.set("a", { op: "set", value: 1 });
    const stored = record({}, { userId: "u2", authTime: 150, createdAt: 120, lastSeenAt: 400 });
    const merged = mergeInto(stored, changes, 300, undefined);
    expect(merged).toMatchObject({ userId: "u2", authTime: 150, createdAt: 120, lastSeenAt: 400 });
  });

  it("merges flash per key and drops an empty flash bag", () => {
    const changes = noChanges();
    changes.flash.set("notice", { op: "delete" });
    const merged = mergeInto(record({}, { flash: { notice: "x" } }), changes, 1, undefined);
    expect(merged.flash).toBeUndefined();
    const add = noChanges();
    add.flash.set("error", { op: "set", value: "y" });
    const merged2 = mergeInto(record({}, { flash: { notice: "x" } }), add, 1, undefined);
    expect({ ...merged2.flash }).toEqual({ notice: "x", error: "y" });
  });
});
