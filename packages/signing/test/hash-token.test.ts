import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashToken } from "../src/hash-token.js";
import { encode } from "../src/lib/b64.js";
import { randomToken } from "../src/random-token.js";
import vectors from "./vectors/sha256.json";

const reference = (text: string) => sha256(new TextEncoder().encode(text));

describe("hashToken", () => {
  it.each(vectors)("$name", ({ text, repeat, sha256: hex }) => {
    const input = text.repeat(repeat);
    expect(hashToken(input, { encoding: "hex" })).toBe(hex);
    expect(hashToken(input)).toBe(Buffer.from(hex, "hex").toString("base64url"));
  });

  it("hashes a lone surrogate as U+FFFD, as TextEncoder encodes it", () => {
    // node:crypto's SHA-256 of "a\uFFFDb" (a vite JSON vector file cannot hold a lone surrogate).
    const hex = "05087813392efc16fe8ff448920c6328e53af865df39419436659d9ffda90f7b";
    expect(hashToken("a\ud800b", { encoding: "hex" })).toBe(
      hashToken("a\ufffdb", { encoding: "hex" }),
    );
    expect(hashToken("a\ud800b", { encoding: "hex" })).toBe(hex);
  });

  // Any UTF-16 code unit, so lone surrogates, BMP and astral characters all occur.
  const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const text = fc.oneof(
    fc.string({ unit: "binary-ascii", maxLength: 300 }),
    fc.string({ unit: "binary", maxLength: 100 }),
    fc.string({ unit: codeUnit, maxLength: 100 }),
    // ASCII that turns non-ASCII late, after whole blocks were already compressed.
    fc
      .tuple(fc.string({ unit: "binary-ascii", maxLength: 200 }), fc.string({ unit: codeUnit }))
      .map(([a, b]) => a + b),
  );

  it("equals @noble/hashes sha256 of the UTF-8 bytes, in both encodings", () => {
    fc.assert(
      fc.property(text, (t) => {
        const digest = reference(t);
        expect(hashToken(t)).toBe(encode(digest));
        expect(hashToken(t, { encoding: "base64url" })).toBe(encode(digest));
        expect(hashToken(t, { encoding: "hex" })).toBe(bytesToHex(digest));
      }),
      { numRuns: 2000 },
    );
  });

  it("covers every length around the block boundaries", () => {
    for (let n = 0; n <= 200; n++) {
      const ascii = "k".repeat(n);
      expect(hashToken(ascii)).toBe(encode(reference(ascii)));
      const wide = `${"k".repeat(n)}é`;
      expect(hashToken(wide, { encoding: "hex" })).toBe(bytesToHex(reference(wide)));
    }
  });

  it("is a function of the token alone (no state carried between calls)", () => {
    const a = randomToken();
    const first = hashToken(a);
    hashToken("é".repeat(100));
    hashToken("x".repeat(1000), { encoding: "hex" });
    expect(hashToken(a)).toBe(first);
    expect(hashToken(a)).toHaveLength(43);
    expect(hashToken(a, { encoding: "hex" })).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([42, null, undefined, {}, ["a"]])("throws on a non-string token %j", (value) => {
    expect(() => hashToken(value as string)).toThrow(/token must be a string/);
  });

  it.each(["base64", "HEX", ""])("throws on encoding %j", (encoding) => {
    expect(() => hashToken("t", { encoding: encoding as "hex" })).toThrow(/option encoding/);
  });
});
