import { describe, expect, it } from "vitest";
import { CookieError } from "../src/errors.js";
import { parseCookie } from "../src/parse-cookie.js";
import { parseCookieAll } from "../src/parse-cookie-all.js";
import vectors from "./vectors/cookie-headers.json" with { type: "json" };

const plain = (record: Record<string, unknown>) => ({ ...record });

describe("parseCookie", () => {
  it.each(vectors.vectors)("$name", ({ header, expected }) => {
    expect(plain(parseCookie(header))).toEqual(expected);
  });

  it("reads values raw with decode: false, so a signed value has one spelling", () => {
    expect(plain(parseCookie("sid=AAAA%2EBBBB", { decode: false }))).toEqual({
      sid: "AAAA%2EBBBB",
    });
    expect(plain(parseCookie('sid="abc"', { decode: false }))).toEqual({ sid: '"abc"' });
  });

  it("strips one pair of quotes with unquote: true", () => {
    expect(plain(parseCookie('a="x y"; b=""; c="; d="e', { unquote: true }))).toEqual({
      a: "x y",
      b: "",
      c: '"',
      d: '"e',
    });
  });

  it("decodes only values containing % and survives many malformed ones", () => {
    const header = Array.from({ length: 50 }, (_, i) => `k${i}=%${i % 2 ? "41" : "zz"}`).join("; ");
    const out = parseCookie(header);
    expect(out.k0).toBe("%zz");
    expect(out.k1).toBe("A");
    expect(Object.keys(out)).toHaveLength(50);
  });

  it("keeps control characters and non-ASCII in values without throwing", () => {
    expect(plain(parseCookie("sid=a\u0000b; x=a\u007fb; y=a\u0001b; z=é"))).toEqual({
      sid: "a\u0000b",
      x: "a\u007fb",
      y: "a\u0001b",
      z: "é",
    });
  });

  it("never confuses names that share a name-cache slot", () => {
    // Same length, first and last character: same slot in the cache of recent names.
    for (let round = 0; round < 3; round++) {
      expect(plain(parseCookie("axb=1; ayb=2; axb=3"))).toEqual({ axb: "1", ayb: "2" });
      expect(plain(parseCookie("ayb=4"))).toEqual({ ayb: "4" });
      expect(Object.keys(parseCookie("a=1; ab=2; abc=3; a_long_cookie_name=4"))).toEqual([
        "a",
        "ab",
        "abc",
        "a_long_cookie_name",
      ]);
    }
  });

  it("joins several Cookie fields with '; ' (RFC 6265bis §4.2.1)", () => {
    expect(plain(parseCookie(["a=1", "sid=2"]))).toEqual({ a: "1", sid: "2" });
    expect(plain(parseCookie(["a=1", "a=2; b=3"]))).toEqual({ a: "1", b: "3" });
    expect(plain(parseCookie([]))).toEqual({});
  });

  it.each([undefined, null, 42, {}, [1, null, "a=1"]])("tolerates non-string input %j", (input) => {
    expect(() => parseCookie(input as never)).not.toThrow();
  });

  describe("limits", () => {
    const pairs = (n: number, width = 8) =>
      Array.from({ length: n }, (_, i) => `c${i}=${"v".repeat(width)}`).join("; ");

    it("stops after maxPairs named pairs; a cookie after the cut is not found", () => {
      const header = `${pairs(250)}; sid=late`;
      const out = parseCookie(header, { maxBytes: Number.POSITIVE_INFINITY });
      expect(Object.keys(out)).toHaveLength(200);
      expect(out.c199).toBeDefined();
      expect(out.c200).toBeUndefined();
      expect(out.sid).toBeUndefined();
    });

    it("stops at maxBytes and drops the pair cut by the limit", () => {
      const header = `${pairs(1000)}; sid=late`;
      expect(header.length).toBeGreaterThan(12 * 1024);
      const out = parseCookie(header, { maxPairs: 10_000 });
      expect(out.sid).toBeUndefined();
      const kept = Object.keys(out);
      const text = kept.map((k) => `${k}=${out[k]}`).join("; ");
      expect(text.length).toBeLessThanOrEqual(8192);
      for (const k of kept) expect(out[k]).toBe("vvvvvvvv");
    });

    it("a pair ending exactly at maxBytes is kept, one byte over is dropped", () => {
      expect(plain(parseCookie("a=1; b=22", { maxBytes: 9 }))).toEqual({ a: "1", b: "22" });
      expect(plain(parseCookie("a=1; b=22; c=3", { maxBytes: 9 }))).toEqual({ a: "1", b: "22" });
      expect(plain(parseCookie("a=1; b=22", { maxBytes: 8 }))).toEqual({ a: "1" });
      expect(plain(parseCookie("a=1; b=22", { maxBytes: 0 }))).toEqual({});
    });

    it("reads all of a 4 KiB header with 50 pairs", () => {
      const header = pairs(50, 76);
      expect(header.length).toBeGreaterThan(3900);
      expect(Object.keys(parseCookie(header))).toHaveLength(50);
    });

    it("counts duplicates against maxPairs", () => {
      expect(plain(parseCookie("a=1; a=2; b=3", { maxPairs: 2 }))).toEqual({ a: "1" });
    });
  });

  describe("pathological inputs give correct results", () => {
    it.each([
      ["a=;;;...", "a=" + ";".repeat(100_000), { a: "" }],
      ["===...", "=".repeat(100_000), {}],
      ["spaces then a=b", " ".repeat(100_000) + "a=b", { a: "b" }],
      ["semicolons then a=b", ";".repeat(100_000) + "a=b", { a: "b" }],
      ["a;a;a;...=", "a;".repeat(50_000) + "=", {}],
    ])("%s", (_label, header, expected) => {
      expect(plain(parseCookie(header, { maxBytes: 1e6 }))).toEqual(expected);
    });

    it("skips runs of nameless pairs in one jump, within the limits", () => {
      expect(plain(parseCookie("a=1; b; c; d=2; e"))).toEqual({ a: "1", d: "2" });
      expect(plain(parseCookie(`${"x;".repeat(100)}b=1; c=2`))).toEqual({ b: "1", c: "2" });
      expect(plain(parseCookie(`${"x;".repeat(5000)}b=1`))).toEqual({});
      expect(plain(parseCookie(`${"x;".repeat(4000)}b=1`))).toEqual({ b: "1" });
      expect(plain(parseCookieAll(`${"x;".repeat(100)}b=1; b=2`))).toEqual({ b: ["1", "2"] });
    });

    it("'a=b;' x 50000 yields a single cookie", () => {
      expect(plain(parseCookie("a=b;".repeat(50_000)))).toEqual({ a: "b" });
    });

    it("a huge header past maxBytes is cut, not scanned for pairs", () => {
      const out = parseCookie(`a=1; ${"x".repeat(1_000_000)}`);
      expect(plain(out)).toEqual({ a: "1" });
    });
  });

  it.each([
    [{ maxBytes: -1 }],
    [{ maxBytes: 1.5 }],
    [{ maxPairs: Number.NaN }],
    [{ maxPairs: "10" }],
  ])("throws ERR_COOKIE_INVALID_OPTION for misuse %j", (options) => {
    try {
      parseCookie("a=1", options as never);
      expect.unreachable();
    } catch (error) {
      expect(CookieError.isInstance(error)).toBe(true);
      expect((error as CookieError).code).toBe("ERR_COOKIE_INVALID_OPTION");
    }
  });
});
