import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeIndexItem,
  decodeSessionItem,
  encodeIndexItem,
  encodeSessionItem,
  utf8Length,
} from "../src/lib/item.js";

const enc = new TextEncoder();

describe("session item codec", () => {
  it("round-trips any value, owner and version", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.option(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), { nil: undefined }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.stringMatching(/^[0-9a-f]{0,16}$/),
        (value, userId, version, expiresAt, generation) => {
          const item = { value, userId, version, expiresAt, generation };
          expect(decodeSessionItem(encodeSessionItem(item))).toEqual(item);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps owners and values that look like the header intact", () => {
    const item = {
      value: "1:2:3:x:",
      userId: "a:b:4:",
      version: 7,
      expiresAt: 9,
      generation: "ab",
    };
    expect(decodeSessionItem(encodeSessionItem(item))).toEqual(item);
  });

  it.each([
    ["empty", ""],
    ["foreign format", '{"value":"x"}'],
    ["truncated header", "s1:1:2"],
    ["bad version", "s1:x:2::-:v"],
    ["userId longer than the item", "s1:1:2::99:ab"],
  ])("rejects a corrupt item (%s) with ERR_STORE_BACKEND", (_label, text) => {
    expect(() => decodeSessionItem(enc.encode(text))).toThrow(
      expect.objectContaining({ code: "ERR_STORE_BACKEND" }),
    );
  });
});

describe("index item codec", () => {
  it("round-trips and keeps __proto__ as data", () => {
    const members: Record<string, number> = Object.create(null);
    members.abc = 5;
    Object.defineProperty(members, "__proto__", { value: 6, enumerable: true });
    const decoded = decodeIndexItem(encodeIndexItem({ generation: "g1", members }));
    expect(decoded.generation).toBe("g1");
    expect(Object.entries(decoded.members)).toEqual([
      ["abc", 5],
      ["__proto__", 6],
    ]);
  });

  it.each([["not json"], ["[]"], ['{"g":1,"m":{}}'], ['{"g":"x","m":[]}']])(
    "rejects %s with ERR_STORE_BACKEND",
    (text) => {
      expect(() => decodeIndexItem(enc.encode(text))).toThrow(
        expect.objectContaining({ code: "ERR_STORE_BACKEND" }),
      );
    },
  );
});

describe("utf8Length", () => {
  it("matches TextEncoder for well-formed strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(utf8Length(s)).toBe(enc.encode(s).length);
      }),
      { numRuns: 500 },
    );
  });
});
