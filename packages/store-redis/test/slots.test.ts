import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLUSTER_SLOTS, crc16, fnv1a, shardTags, slotOf } from "../src/lib/slots.js";

describe("crc16 / slotOf", () => {
  // Vectors from the Redis Cluster specification (CRC16 reference "123456789" -> 0x31C3)
  // and CLUSTER KEYSLOT on a real server.
  it.each([
    ["123456789", 0x31c3],
    ["", 0],
  ])("crc16(%j) = %i", (input, expected) => {
    expect(crc16(input)).toBe(expected);
  });

  it.each([
    ["foo", 12182],
    ["bar", 5061],
    ["somekey", 11058],
  ])("slotOf(%j) = %i (CLUSTER KEYSLOT)", (input, expected) => {
    expect(slotOf(input)).toBe(expected);
  });
});

describe("shardTags", () => {
  it.each([1, 2, 3, 16, 64, 1024])("puts shard i of %i in the i-th slot range", (n) => {
    const tags = shardTags(n);
    expect(tags).toHaveLength(n);
    expect(new Set(tags).size).toBe(n);
    tags.forEach((tag, i) => {
      const slot = slotOf(tag);
      expect(slot).toBeGreaterThanOrEqual(Math.floor((i * CLUSTER_SLOTS) / n));
      expect(slot).toBeLessThan(Math.floor(((i + 1) * CLUSTER_SLOTS) / n));
      expect(tag).not.toMatch(/[{}]/);
    });
  });

  it("is deterministic: every process computes the same tags", () => {
    expect(shardTags(16)).toEqual(shardTags(16));
  });
});

describe("fnv1a", () => {
  it("is a stable unsigned 32-bit hash", () => {
    // FNV-1a test vectors (Fowler/Noll/Vo reference): "" and "a".
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const h = fnv1a(s);
        return Number.isInteger(h) && h >= 0 && h < 2 ** 32 && h === fnv1a(s);
      }),
      { numRuns: 500 },
    );
  });
});
