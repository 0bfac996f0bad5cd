import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCookie } from "../src/parse-cookie.js";
import { parseCookieAll } from "../src/parse-cookie-all.js";

describe("parseCookieAll (every value of a duplicated name, for the session layer)", () => {
  it("keeps every value of a duplicated name in header order", () => {
    expect({ ...parseCookieAll("sid=attacker; sid=victim") }).toEqual({
      sid: ["attacker", "victim"],
    });
  });

  it("sees a tossed twin of the session cookie", () => {
    const all = parseCookieAll("__Host-sid=A; theme=dark; __Host-sid=B", { decode: false });
    expect(all["__Host-sid"]).toEqual(["A", "B"]);
    expect(all.theme).toEqual(["dark"]);
  });

  it("reads raw, decodes, unquotes and joins fields like parseCookie", () => {
    expect(parseCookieAll("x=a%2Eb", { decode: false }).x).toEqual(["a%2Eb"]);
    expect(parseCookieAll("x=a%2Eb").x).toEqual(["a.b"]);
    expect(parseCookieAll('x="q"', { unquote: true }).x).toEqual(["q"]);
    expect({ ...parseCookieAll(["a=1", "a=2"]) }).toEqual({ a: ["1", "2"] });
  });

  it("applies maxPairs and maxBytes", () => {
    expect({ ...parseCookieAll("a=1; a=2; a=3", { maxPairs: 2 }) }).toEqual({ a: ["1", "2"] });
    expect({ ...parseCookieAll("a=1; a=22", { maxBytes: 8 }) }).toEqual({ a: ["1"] });
  });

  it("agrees with parseCookie on the first value of every name", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.boolean(), (header, decode) => {
        const first = parseCookie(header, { decode });
        const all = parseCookieAll(header, { decode });
        expect(Object.keys(all)).toEqual(Object.keys(first));
        for (const key of Object.keys(all)) expect(all[key]![0]).toBe(first[key]);
      }),
      { numRuns: 500 },
    );
  });

  describe("only: one cookie and its chunks, searched past the pair and byte defaults", () => {
    const padded = (pad: string) => `s=A; ${pad}; s.1=C; s=B`;

    it("keeps the name and its chunks, in header order, and nothing else", () => {
      const all = parseCookieAll("s=1; sx=2; s.0=3; s.=4; t=5; s.a=6; s=7; S=8", { only: "s" });
      expect({ ...all }).toEqual({ s: ["1", "7"], "s.0": ["3"], "s.a": ["6"] });
    });

    it("other pairs do not count toward maxPairs", () => {
      const many = Array.from({ length: 1000 }, (_, i) => `c${i}=${i}`).join("; ");
      const all = parseCookieAll(padded(many), { only: "s", maxBytes: 65_536 });
      expect({ ...all }).toEqual({ s: ["A", "B"], "s.1": ["C"] });
      // Without it, the 200-pair default stops long before the second copy.
      expect(parseCookieAll(padded(many), { maxBytes: 65_536 }).s).toEqual(["A"]);
    });

    it("still reads no further than maxBytes", () => {
      const header = padded(`p=${"x".repeat(10_000)}`);
      expect({ ...parseCookieAll(header, { only: "s" }) }).toEqual({ s: ["A"] });
      expect(parseCookieAll(header, { only: "s", maxBytes: 20_000 }).s).toEqual(["A", "B"]);
    });

    it("agrees with the unfiltered parse on the names it keeps", () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(fc.constantFrom("s", "s.0", "s.12", "s.", "sx", " s", "t", ""), fc.string()),
            { maxLength: 30 },
          ),
          (pairs) => {
            const header = pairs.map(([n, v]) => `${n}=${v}`).join("; ");
            const options = { maxPairs: Infinity, maxBytes: Infinity };
            const every = parseCookieAll(header, options);
            const kept = parseCookieAll(header, { ...options, only: "s" });
            const expected = Object.keys(every).filter((k) => k === "s" || /^s\..+/s.test(k));
            expect(Object.keys(kept).sort()).toEqual(expected.sort());
            for (const key of expected) expect(kept[key]).toEqual(every[key]);
          },
        ),
        { numRuns: 500 },
      );
    });

    it.each([[""], [1], [null]])("refuses only = %j with ERR_COOKIE_INVALID_OPTION", (only) => {
      expect(() => parseCookieAll("s=1", { only: only as string })).toThrow(
        expect.objectContaining({ code: "ERR_COOKIE_INVALID_OPTION" }),
      );
    });
  });
});
