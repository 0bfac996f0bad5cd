import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chunkSetCookie,
  joinChunks,
  parseCookie,
  parseCookieAll,
  parseSetCookie,
  serializeSetCookie,
} from "../src/index.js";

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const COOKIE_OCTETS = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => !'",;\\'.includes(c))
  .join("");

// A name that is a token and not a reserved prefix (those need attributes).
const tokenName = fc
  .string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 40 })
  .filter((n) => !n.toLowerCase().startsWith("__"));
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom(";", "=", " ", "\t", '"', "%", "\u0000", "\r", "\n", "a", "é"),
    maxLength: 300,
  }),
);

/** What the serializer must never put in the name=value part: it would end the pair or inject an attribute (CVE-2024-47764). */
function assertClean(nameValue: string): void {
  for (let i = 0; i < nameValue.length; i++) {
    const c = nameValue.charCodeAt(i);
    expect(c > 0x20 && c < 0x7f && c !== 0x3b).toBe(true);
  }
}

describe("properties", () => {
  it("parseCookie and parseCookieAll never throw and return only own string values", () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), fc.boolean(), (header, decode, unquote) => {
        const one = parseCookie(header, { decode, unquote });
        const all = parseCookieAll(header, { decode, unquote });
        for (const key of Object.keys(one)) {
          expect(typeof one[key]).toBe("string");
          expect(key).not.toBe("");
          expect(/^[ \t]|[ \t]$/.test(key)).toBe(false);
        }
        expect(Object.keys(all)).toEqual(Object.keys(one));
      }),
      { numRuns: 1000 },
    );
  });

  it("parseSetCookie never throws", () => {
    fc.assert(
      fc.property(anyString, (header) => {
        const parsed = parseSetCookie(header);
        if (parsed !== null) expect(typeof parsed.value).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });

  it("serialize then parse round-trips every token name and any well-formed Unicode value", () => {
    fc.assert(
      fc.property(tokenName, fc.string({ unit: "grapheme", maxLength: 100 }), (name, value) => {
        const line = serializeSetCookie(name, value, { path: "/", httpOnly: true });
        assertClean(line.slice(0, line.indexOf(";")));
        expect(parseCookie(line.slice(0, line.indexOf(";")))[name]).toBe(value);
        expect(parseSetCookie(line)).toMatchObject({
          name,
          value,
          attributes: { path: "/", httpOnly: true },
        });
      }),
      // 3,000 runs rather than a 10,000-run sweep keep the package under its test-time budget.
      { numRuns: 3000 },
    );
  }, 30_000);

  it("raw cookie-octet values round-trip byte for byte with decode: false", () => {
    fc.assert(
      fc.property(
        tokenName,
        fc.string({ unit: fc.constantFrom(...COOKIE_OCTETS), maxLength: 100 }),
        (name, value) => {
          const line = serializeSetCookie(name, value, { encode: "raw" });
          expect(line).toBe(`${name}=${value}`);
          expect(parseCookie(line, { decode: false })[name]).toBe(value);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("every BMP code point and an astral one survive the default encoder", () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const value = `a${String.fromCharCode(cp)}b`;
      const line = serializeSetCookie("k", value);
      if (parseCookie(line).k !== value)
        expect.fail(`code point ${cp.toString(16)} did not round-trip`);
    }
    expect(parseCookie(serializeSetCookie("k", "😄")).k).toBe("😄");
  }, 30_000);

  it("chunk then join round-trips values up to 64 KiB", () => {
    const value = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."ABCxyz019-_."), minLength: 0, maxLength: 65_536 }),
      fc.string({ unit: "grapheme", maxLength: 6000 }),
    );
    fc.assert(
      fc.property(value, fc.constantFrom("s", "__Host-sess"), (v, name) => {
        const lines = chunkSetCookie(name, v, { secure: true, path: "/" });
        const pairs = lines.map((line) => {
          expect(line.length).toBeLessThanOrEqual(4096);
          return line.slice(0, line.indexOf(";"));
        });
        const names = pairs.map((p) => p.slice(0, p.indexOf("=")));
        expect(new Set(names).size).toBe(names.length);
        const cookies = parseCookie(pairs.join("; "), { maxBytes: Number.POSITIVE_INFINITY });
        expect(joinChunks(cookies, name)).toBe(v);
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});
