import { describe, expect, it } from "vitest";
import { parseFamily, parseRefresh } from "../src/lib/records.js";
import vectors from "./vectors/records.json" with { type: "json" };

const entry = (value: unknown) => ({
  value: JSON.stringify(value),
  expiresAt: Date.UTC(2027, 0, 1),
  version: 1,
});

describe("stored record format v1 (test/vectors/records.json)", () => {
  it.each(vectors.family.valid.map((v) => [v]))("family accepted: %j", (value) => {
    expect(parseFamily(entry(value))).toEqual(value);
  });
  it.each(vectors.family.invalid.map((v) => [v]))("family refused: %j", (value) => {
    expect(parseFamily(entry(value))).toBeNull();
  });
  it.each(vectors.refresh.valid.map((v) => [v]))("refresh accepted: %j", (value) => {
    expect(parseRefresh(entry(value))).toEqual(value);
  });
  it.each(vectors.refresh.invalid.map((v) => [v]))("refresh refused: %j", (value) => {
    expect(parseRefresh(entry(value))).toBeNull();
  });
  it("a value that is not JSON is refused, and null stays null", () => {
    expect(parseFamily({ value: "{", expiresAt: 1, version: 1 })).toBeNull();
    expect(parseRefresh(null)).toBeNull();
  });
});
