import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePgText, encodePgText } from "../src/lib/pg-text.js";

describe("PostgreSQL text escaping", () => {
  it.each([
    ["", ""],
    ["plain", "plain"],
    ['{"a":1}', '{"a":1}'],
    ["a\u0001b", "a\u0001b"],
    ["a\u0000b", "\u0001a\u0001\u0002b"],
    ["\u0001x", "\u0001\u0001\u0001x"],
    ["\u0000", "\u0001\u0001\u0002"],
  ])("encodes %j as %j", (text, stored) => {
    expect(encodePgText(text)).toBe(stored);
    expect(decodePgText(stored)).toBe(text);
  });

  it("stored forms never contain NUL", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(encodePgText(text).includes("\u0000")).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips every string, control-heavy ones included", () => {
    const controlHeavy = fc.string({
      unit: fc.constantFrom("\u0000", "\u0001", "\u0002", "a", "é", "🍪"),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), controlHeavy), (text) => {
        expect(decodePgText(encodePgText(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("is injective, so user-id lookups on the stored form stay exact", () => {
    const unit = fc.constantFrom("\u0000", "\u0001", "\u0002", "a");
    fc.assert(
      fc.property(fc.string({ unit }), fc.string({ unit }), (a, b) => {
        if (a !== b) expect(encodePgText(a)).not.toBe(encodePgText(b));
      }),
      { numRuns: 2000 },
    );
  });
});
