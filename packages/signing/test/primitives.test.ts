import { createHash, createHmac, hkdfSync } from "node:crypto";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { bothSources } from "./sources.js";
import hmacVectors from "./vectors/rfc4231-hmac-sha256.json";
import hkdfVectors from "./vectors/rfc5869-hkdf-sha256.json";
import shaVectors from "./vectors/sha256.json";

const sources = await bothSources();
const utf8 = (text: string) => new TextEncoder().encode(text);
// Any UTF-16 code unit, so lone surrogates, BMP and astral characters all occur.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.string({ unit: codeUnit, maxLength: 100 }),
);

describe("primitive sources", () => {
  it("uses node:crypto where the runtime offers it, else @noble/hashes", () => {
    expect(sources.map((s) => s.name)).toEqual(["node:crypto", "@noble/hashes"]);
  });

  it("calls node:crypto on the node:crypto source", async () => {
    const nodeCrypto = process.getBuiltinModule("node:crypto");
    const spy = vi.spyOn(nodeCrypto, "createHmac");
    try {
      const [node, web] = sources;
      const keys = node.signing.createKeyring([{ id: "k", secret: node.signing.randomToken(32) }]);
      node.signing.sign("v", keys);
      expect(spy).toHaveBeenCalledTimes(1);
      const webKeys = web.signing.createKeyring([{ id: "k", secret: web.signing.randomToken(32) }]);
      web.signing.sign("v", webKeys);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe.each(sources)("primitives on $name", ({ primitives }) => {
  it.each(hmacVectors)("HMAC-SHA256 $name (RFC 4231)", ({ key, data, mac }) => {
    const out = bytesToHex(primitives.hmacSha256(hexToBytes(key), hexToBytes(data)));
    expect(out.slice(0, mac.length)).toBe(mac);
  });

  it.each(shaVectors)("SHA-256 $name", ({ text, repeat, sha256: hex }) => {
    const input = text.repeat(repeat);
    expect(primitives.sha256Text(input, "hex")).toBe(hex);
    expect(primitives.sha256Text(input, "base64url")).toBe(
      Buffer.from(hex, "hex").toString("base64url"),
    );
  });

  it.each(hkdfVectors)("HKDF-SHA256 $name (RFC 5869)", ({ ikm, salt, info, length, okm }) => {
    const out = primitives.hkdfSha256(hexToBytes(ikm), hexToBytes(salt), hexToBytes(info), length);
    expect(bytesToHex(out)).toBe(okm);
  });

  it("HMAC equals node:crypto and @noble/hashes for random keys and text", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 150 }),
        fc.string({ unit: "grapheme", maxLength: 200 }),
        (key, text) => {
          const expected = createHmac("sha256", key).update(text).digest();
          expect(bytesToHex(primitives.hmacSha256(key, text))).toBe(expected.toString("hex"));
          expect(primitives.hmacSha256Text(key, text)).toBe(expected.toString("base64url"));
          expect(bytesToHex(hmac(sha256, key, utf8(text)))).toBe(expected.toString("hex"));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("SHA-256 equals node:crypto and @noble/hashes, lone surrogates hashed as U+FFFD", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expected = createHash("sha256").update(text).digest("hex");
        expect(primitives.sha256Text(text, "hex")).toBe(expected);
        expect(bytesToHex(sha256(utf8(text)))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("HKDF equals node:crypto and @noble/hashes, empty salt included", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 1, max: 128 }),
        (ikm, salt, info, length) => {
          const expected = Buffer.from(hkdfSync("sha256", ikm, salt, info, length)).toString("hex");
          expect(bytesToHex(primitives.hkdfSha256(ikm, salt, info, length))).toBe(expected);
          expect(bytesToHex(hkdf(sha256, ikm, salt, info, length))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("draws fresh random bytes of the asked length", () => {
    const a = primitives.randomBytes(32);
    const b = primitives.randomBytes(32);
    expect(a).toHaveLength(32);
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
    expect(primitives.randomBytes(1024)).toHaveLength(1024);
  });
});
