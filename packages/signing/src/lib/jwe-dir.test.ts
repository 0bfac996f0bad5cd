import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALPHABET, decode, isCanonical } from "./b64.js";
import { decodeStrict } from "./jwe-dir.js";

describe("decodeStrict", () => {
  // Mostly alphabet characters, with the near misses a forger would try.
  const unit = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...ALPHABET) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("=", "+", "/", " ", "\n", ".", "é", "\u0141", "\uD800"),
    },
  );

  it("accepts exactly what isCanonical accepts and decodes like decode", () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), fc.nat(3), (text, pad) => {
        // Embed the range in other text to exercise start/end offsets.
        const framed = `${"A".repeat(pad)}${text}.`;
        const out = new Uint8Array(pad + 40);
        const ok = decodeStrict(framed, pad, pad + text.length, out, pad);
        expect(ok).toBe(isCanonical(text));
        if (ok) expect(out.subarray(pad, pad + ((text.length * 3) >> 2))).toEqual(decode(text));
      }),
      { numRuns: 3000 },
    );
  });
});
