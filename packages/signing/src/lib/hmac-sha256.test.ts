import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import vectors from "../../test/vectors/rfc4231-hmac-sha256.json";
import { digestBytes, macBytes, macJoined, macString, prepareKey } from "./hmac-sha256.js";

describe("HMAC-SHA256 core", () => {
  // T-B01: the primitive itself, below the 32-byte key guard of the keyring.
  it.each(vectors)("$name", ({ key, data, mac }) => {
    macBytes(prepareKey(hexToBytes(key)), hexToBytes(data));
    expect(bytesToHex(digestBytes()).slice(0, mac.length)).toBe(mac);
  });

  it("equals @noble/hashes hmac for random keys and messages of every block boundary", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 150 }),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        (key, message) => {
          macBytes(prepareKey(key), message);
          expect(bytesToHex(digestBytes())).toBe(bytesToHex(hmac(sha256, key, message)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("hashes strings as UTF-8, including astral characters", () => {
    const key = new Uint8Array(32).fill(9);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => {
        expect(macString(prepareKey(key), text, 0, text.length)).toBe(true);
        expect(bytesToHex(digestBytes())).toBe(
          bytesToHex(hmac(sha256, key, new TextEncoder().encode(text))),
        );
      }),
      { numRuns: 300 },
    );
  });

  // The ASCII streaming path packs characters straight into message words:
  // every length from 0 to past three blocks, at every padding boundary (55/56/64).
  it("streams ASCII strings and joined pairs of every length like @noble/hashes", () => {
    const key = new Uint8Array(32).fill(7);
    const prepared = prepareKey(key);
    const ascii = (text: string) => new TextEncoder().encode(text);
    for (let n = 0; n <= 200; n++) {
      const text = "x".repeat(n);
      expect(macString(prepared, text, 0, n)).toBe(true);
      expect(bytesToHex(digestBytes())).toBe(bytesToHex(hmac(sha256, key, ascii(text))));
    }
    fc.assert(
      fc.property(
        fc.string({ unit: "binary-ascii", maxLength: 150 }),
        fc.string({ unit: "binary-ascii", maxLength: 80 }),
        fc.nat(20),
        (first, second, cut) => {
          expect(macJoined(prepared, first, second)).toBe(true);
          expect(bytesToHex(digestBytes())).toBe(
            bytesToHex(hmac(sha256, key, ascii(`${first}.${second}`))),
          );
          // A sub-range, as unsign hashes `<value>.<kid>` inside the signed text.
          const end = Math.max(0, first.length - cut);
          expect(macString(prepared, first, Math.min(cut, end), end)).toBe(true);
          expect(bytesToHex(digestBytes())).toBe(
            bytesToHex(hmac(sha256, key, ascii(first.slice(Math.min(cut, end), end)))),
          );
        },
      ),
      { numRuns: 500 },
    );
    // A non-ASCII character late in the text falls back to the UTF-8 path.
    const mixed = `${"a".repeat(130)}é`;
    expect(macJoined(prepared, mixed, "k1")).toBe(true);
    expect(bytesToHex(digestBytes())).toBe(bytesToHex(hmac(sha256, key, ascii(`${mixed}.k1`))));
  });

  it("refuses lone surrogates instead of hashing U+FFFD", () => {
    const key = prepareKey(new Uint8Array(32));
    expect(macString(key, "a\uD800b", 0, 3)).toBe(false);
    expect(macJoined(key, "a", "\uDC00")).toBe(false);
    expect(macString(key, "a\uD83D\uDE00", 0, 3)).toBe(true);
  });
});
