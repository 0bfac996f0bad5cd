import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeRecord,
  emptyBag,
  encodeRecord,
  jsonTooDeep,
  type SessionRecord,
  tooDeep,
  utf8Length,
} from "../src/lib/record.js";

const base: SessionRecord = { v: 1, createdAt: 1000, lastSeenAt: 2000, data: emptyBag() };

describe("decodeRecord", () => {
  it("round-trips a full record", () => {
    const data = emptyBag();
    data.cart = [1, 2];
    const record: SessionRecord = {
      ...base,
      authTime: 1000,
      userId: "u1",
      data,
      flash: { notice: "Saved" },
      meta: { userAgent: "UA", ip: "203.0.113.7" },
    };
    expect(decodeRecord(encodeRecord(record))).toEqual(record);
  });

  it.each([
    ["not json", "{"],
    ["array", "[]"],
    ["null", "null"],
    ["wrong version", JSON.stringify({ ...base, v: 2 })],
    ["string createdAt", JSON.stringify({ ...base, createdAt: "1000" })],
    ["negative lastSeenAt", JSON.stringify({ ...base, lastSeenAt: -1 })],
    ["fractional authTime", JSON.stringify({ ...base, authTime: 1.5 })],
    ["numeric userId", JSON.stringify({ ...base, userId: 7 })],
    ["array data", JSON.stringify({ ...base, data: [] })],
    ["missing data", JSON.stringify({ v: 1, createdAt: 1, lastSeenAt: 1 })],
    ["array flash", JSON.stringify({ ...base, flash: [1] })],
    ["meta ip number", JSON.stringify({ ...base, meta: { ip: 1 } })],
  ])("rejects %s", (_, text) => {
    expect(decodeRecord(text)).toBeNull();
  });

  it("keeps __proto__ and constructor as plain data (no prototype pollution)", () => {
    const text =
      '{"v":1,"createdAt":1,"lastSeenAt":1,"data":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}}';
    const record = decodeRecord(text)!;
    expect(Object.getPrototypeOf(record.data)).toBeNull();
    expect((record.data as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(record.data)).toEqual(["__proto__", "constructor"]);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        decodeRecord(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("utf8Length", () => {
  it.each([
    ["ascii", "abc", 3],
    ["two-byte", "é", 2],
    ["three-byte", "€", 3],
    ["four-byte", "😀", 4],
  ])("measures %s", (_, text, expected) => {
    expect(utf8Length(text, 0)).toBe(expected);
  });
});

describe("jsonTooDeep (the text-side depth check that replaced the object walk)", () => {
  it.each([
    ["{}", 1, false],
    ["{}", 0, true],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    // Brackets inside strings are not nesting, escaped quotes do not end a string.
    ['{"a":"[[[[{{{{"}', 1, false],
    ['{"a":"\\"[[[[","b":1}', 1, false],
    ['{"a":"x\\\\","b":[[1]]}', 2, true],
    ["[[],[],[],[]]", 2, false],
  ])("%s with max %i → %s", (text, max, expected) => {
    expect(jsonTooDeep(text, max)).toBe(expected);
  });

  it("agrees with the object walk on every JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(jsonTooDeep(JSON.stringify(value), max)).toBe(tooDeep(value, max));
      }),
      { numRuns: 1000 },
    );
  });
});
