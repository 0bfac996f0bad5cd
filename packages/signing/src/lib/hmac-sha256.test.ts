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

  it("refuses lone surrogates instead of hashing U+FFFD", () => {
    const key = prepareKey(new Uint8Array(32));
    expect(macString(key, "a\uD800b", 0, 3)).toBe(false);
    expect(macJoined(key, "a", "\uDC00")).toBe(false);
    expect(macString(key, "a\uD83D\uDE00", 0, 3)).toBe(true);
  });
});
