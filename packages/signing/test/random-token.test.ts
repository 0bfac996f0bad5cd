import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../src/base64url.js";
import { hashToken } from "../src/hash-token.js";
import { isToken, randomToken } from "../src/random-token.js";
import { bothSources } from "./sources.js";

const sources = await bothSources();
afterEach(() => vi.restoreAllMocks());

describe("randomToken / isToken / hashToken", () => {
  it.each(sources)(
    "draws 32 bytes from the CSPRNG on $name and never from Math.random",
    ({ name, signing }) => {
      const spy =
        name === "node:crypto"
          ? vi.spyOn(process.getBuiltinModule("node:crypto"), "randomFillSync")
          : vi.spyOn(crypto, "getRandomValues");
      const math = vi.spyOn(Math, "random");
      const seen = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const t = signing.randomToken();
        expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(signing.isToken(t)).toBe(true);
        seen.add(t);
      }
      expect(seen.size).toBe(2000);
      expect(spy).toHaveBeenCalledTimes(2000);
      expect((spy.mock.calls[0]![0] as Uint8Array).length).toBe(32);
      expect(math).not.toHaveBeenCalled();
      expect(signing.randomToken(16)).toHaveLength(22);
    },
  );

  it.each([0, 8, 15, 1.5, 2000, "32"])("refuses %j bytes", (bytes) => {
    expect(() => randomToken(bytes as number)).toThrow(/option bytes/);
  });

  it.each([
    "abc",
    `${randomToken()}=`,
    `${randomToken()} `,
    randomToken().replace(/.$/, "+"),
    randomToken(33),
    42,
    null,
  ])("isToken refuses %j", (value) => expect(isToken(value)).toBe(false));

  it("hashes to SHA-256 in base64url or hex", () => {
    const t = randomToken();
    expect(hashToken(t)).toBe(encodeBase64Url(sha256(new TextEncoder().encode(t))));
    expect(hashToken(t, { encoding: "hex" })).toBe(bytesToHex(sha256(new TextEncoder().encode(t))));
    expect(hashToken(t)).not.toContain(t);
    expect(() => hashToken(t, { encoding: "base64" as "hex" })).toThrow(/option encoding/);
  });

  it("base64url round-trips and decodes only canonical text", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(Buffer.from(bytes).toString("base64url")).toBe(text);
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
    for (const bad of ["-_9", "-_8=", "a", "ab+", "ab/", " ab", "ab\n", "é"])
      expect(decodeBase64Url(bad)).toBeNull();
  });
});
