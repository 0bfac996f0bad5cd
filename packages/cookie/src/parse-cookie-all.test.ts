import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCookie } from "./parse-cookie.js";
import { parseCookieAll } from "./parse-cookie-all.js";

describe("parseCookieAll (CK-09)", () => {
  it("keeps every value of a duplicated name in header order (T-C19)", () => {
    expect({ ...parseCookieAll("sid=attacker; sid=victim") }).toEqual({
      sid: ["attacker", "victim"],
    });
  });

  it("sees a tossed twin of the session cookie (T-D31)", () => {
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
});
