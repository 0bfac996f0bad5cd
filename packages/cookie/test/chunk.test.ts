import { describe, expect, it } from "vitest";
import { chunkSetCookie, joinChunks } from "../src/chunk.js";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError } from "../src/errors.js";
import { parseCookie } from "../src/parse-cookie.js";
import { parseSetCookie } from "../src/parse-set-cookie.js";

/** What a browser would send back after storing `lines` (clears remove cookies). */
function browser(lines: string[], jar: Record<string, string> = {}): Record<string, string> {
  const next = { ...jar };
  for (const line of lines) {
    const parsed = parseSetCookie(line, { decode: false })!;
    if (parsed.attributes.maxAge === 0) delete next[parsed.name];
    else next[parsed.name] = parsed.value;
  }
  return next;
}

function header(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
}

const big = (n: number) => "A".repeat(n);

describe("chunkSetCookie", () => {
  describe("maxBytes: the Cookie header octets the value's cookies may take", () => {
    const sent = (lines: string[]) => header(browser(lines)).length;

    it("counts names, count marker, values and separators exactly as a browser sends them", () => {
      for (const size of [10, 4000, 4100, 8000, 12_000, 20_000]) {
        const lines = chunkSetCookie("__Host-sess", big(size), secureCookieDefaults);
        const bytes = sent(lines);
        expect(
          chunkSetCookie("__Host-sess", big(size), secureCookieDefaults, { maxBytes: bytes }),
        ).toEqual(lines);
        expect(() =>
          chunkSetCookie("__Host-sess", big(size), secureCookieDefaults, { maxBytes: bytes - 1 }),
        ).toThrow(expect.objectContaining({ code: "ERR_COOKIE_TOO_LARGE" }));
      }
    });

    it("does not count the clearing lines for stale chunks", () => {
      const incoming = browser(chunkSetCookie("s", big(12_000), { path: "/" }));
      const lines = chunkSetCookie("s", "small", { path: "/" }, { incoming, maxBytes: 7 });
      expect(lines[0]).toBe("s=small; Path=/");
      expect(lines.length).toBeGreaterThan(1);
    });

    it.each([[-1], [1.5], [Number.NaN], ["8192"]])("refuses maxBytes %j", (maxBytes) => {
      expect(() => chunkSetCookie("s", "v", {}, { maxBytes: maxBytes as number })).toThrow(
        expect.objectContaining({ code: "ERR_COOKIE_INVALID_OPTION" }),
      );
    });
  });

  it("writes a value that fits as one plain cookie", () => {
    expect(chunkSetCookie("__Host-sess", "abc", secureCookieDefaults)).toEqual([
      "__Host-sess=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
    ]);
  });

  it("splits a large value into name.0.. with a count marker, every line within 4096 octets", () => {
    const lines = chunkSetCookie("__Host-sess", big(10_000), secureCookieDefaults);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^__Host-sess\.0=3:A+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(lines[1]).toMatch(/^__Host-sess\.1=A+; Path=/);
    expect(lines[2]).toMatch(/^__Host-sess\.2=A+; Path=/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(4096);
    expect(lines[0]!.length).toBeGreaterThan(4000);
  });

  it("uses the whole line budget: a line just over 4096 octets becomes chunks", () => {
    const suffix = "; Path=/; HttpOnly; Secure; SameSite=Lax";
    const fits = 4096 - "s=".length - suffix.length;
    expect(chunkSetCookie("s", big(fits), secureCookieDefaults)).toHaveLength(1);
    expect(chunkSetCookie("s", big(fits + 1), secureCookieDefaults)).toHaveLength(2);
  });

  it("round-trips through a browser jar and parseCookie", () => {
    const value = `${"é€😄".repeat(2000)}; =,"\\`;
    const lines = chunkSetCookie("s", value, { path: "/" });
    for (const line of lines)
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(4096);
    const jar = browser(lines);
    expect(joinChunks(parseCookie(header(jar), { maxBytes: 1e6 }), "s")).toBe(value);
    const raw = joinChunks(parseCookie(header(jar), { maxBytes: 1e6, decode: false }), "s");
    expect(decodeURIComponent(raw!)).toBe(value);
  });

  it("clears stale chunks when the value shrinks, and the plain cookie when it grows", () => {
    const first = browser(chunkSetCookie("s", big(12_000), {}));
    expect(Object.keys(first).sort()).toEqual(["s.0", "s.1", "s.2"]);

    const shrink = chunkSetCookie(
      "s",
      big(5000),
      {},
      { incoming: parseCookie(header(first), { maxBytes: 65_536 }) },
    );
    expect(shrink.map((l) => l.slice(0, l.indexOf("=")))).toEqual(["s.0", "s.1", "s.2"]);
    expect(shrink[2]).toBe("s.2=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
    const second = browser(shrink, first);
    expect(Object.keys(second).sort()).toEqual(["s.0", "s.1"]);

    const plain = chunkSetCookie("s", "small", {}, { incoming: parseCookie(header(second)) });
    expect(plain.map((l) => l.slice(0, l.indexOf("=")))).toEqual(["s", "s.0", "s.1"]);
    const third = browser(plain, second);
    expect(third).toEqual({ s: "small" });

    const grow = chunkSetCookie("s", big(5000), {}, { incoming: parseCookie(header(third)) });
    expect(grow.map((l) => l.slice(0, l.indexOf("=")))).toEqual(["s.0", "s.1", "s"]);
    expect(joinChunks(browser(grow, third), "s")).toBe(big(5000));
  });

  it("never emits two lines for one name (RFC 6265bis §4.1.1) and leaves other cookies alone", () => {
    const incoming = {
      s: "x",
      "s.0": "2:a",
      "s.1": "b",
      "s.7": "z",
      "s.01": "q",
      "s.x": "other",
      t: "1",
    };
    const lines = chunkSetCookie("s", big(6000), {}, { incoming });
    const names = lines.map((l) => l.slice(0, l.indexOf("=")));
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(["s", "s.0", "s.01", "s.1", "s.7"]);
  });

  it("clears chunks with the same prefix-safe attributes", () => {
    const lines = chunkSetCookie("__Host-s", "v", secureCookieDefaults, {
      incoming: { "__Host-s.0": "2:a", "__Host-s.1": "b" },
    });
    expect(lines[1]).toBe(
      "__Host-s.0=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
  });

  it("throws ERR_COOKIE_TOO_LARGE past maxChunks and validates like serializeSetCookie", () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return CookieError.isInstance(error) ? error.code : "other";
      }
      return "none";
    };
    expect(code(() => chunkSetCookie("s", big(9000), {}, { maxChunks: 2 }))).toBe(
      "ERR_COOKIE_TOO_LARGE",
    );
    expect(code(() => chunkSetCookie("s", big(9000), {}, { maxChunks: 3 }))).toBe("none");
    expect(code(() => chunkSetCookie("s", big(300_000)))).toBe("ERR_COOKIE_TOO_LARGE");
    expect(code(() => chunkSetCookie("s", big(10), {}, { maxChunks: 0 }))).toBe(
      "ERR_COOKIE_INVALID_OPTION",
    );
    expect(code(() => chunkSetCookie("a b", "v"))).toBe("ERR_COOKIE_INVALID_NAME");
    expect(code(() => chunkSetCookie("__Host-s", "v", { secure: false } as never))).toBe(
      "ERR_COOKIE_PREFIX_VIOLATION",
    );
    expect(code(() => chunkSetCookie("s", "a b", { encode: "raw" }))).toBe(
      "ERR_COOKIE_INVALID_VALUE",
    );
  });
});

describe("joinChunks (a missing, extra or reordered chunk gives no value)", () => {
  it("returns the plain cookie when there are no chunks", () => {
    expect(joinChunks({ s: "v", t: "w" }, "s")).toBe("v");
    expect(joinChunks({ "s.x": "other", s: "v" }, "s")).toBe("v");
    expect(joinChunks({ t: "w" }, "s")).toBeUndefined();
  });

  it("joins a complete set by index, whatever the header order", () => {
    expect(joinChunks(parseCookie("s.2=c; s.0=3:a; s.1=b"), "s")).toBe("abc");
  });

  it.each([
    ["missing chunk", { "s.0": "3:a", "s.2": "c" }],
    ["truncated set", { "s.0": "3:a", "s.1": "b" }],
    ["extra chunk beyond the count", { "s.0": "2:a", "s.1": "b", "s.2": "c" }],
    ["gap with extra", { "s.0": "2:a", "s.2": "c" }],
    ["first chunk missing", { "s.1": "b", "s.2": "c" }],
    ["no count marker", { "s.0": "a", "s.1": "b" }],
    ["count zero", { "s.0": "0:" }],
    ["count with a leading zero", { "s.0": "02:a", "s.1": "b" }],
    ["index with a leading zero", { "s.0": "2:a", "s.01": "b" }],
    ["plain cookie beside chunks", { s: "v", "s.0": "1:a" }],
    ["count beyond maxChunks", { "s.0": "999:a" }],
    ["non-string chunk", { "s.0": "2:a", "s.1": 5 }],
  ])("returns undefined for %s", (_label, cookies) => {
    expect(joinChunks(cookies as Record<string, string>, "s")).toBeUndefined();
  });

  it("accepts a single-chunk set and an empty tail", () => {
    expect(joinChunks({ "s.0": "1:abc" }, "s")).toBe("abc");
    expect(joinChunks({ "s.0": "2:abc", "s.1": "" }, "s")).toBe("abc");
  });

  it("never throws on odd input", () => {
    expect(joinChunks(null as never, "s")).toBeUndefined();
    expect(joinChunks({ __proto__: "x" } as never, "__proto__")).toBeUndefined();
    expect(joinChunks(parseCookie("__proto__=1; constructor.0=1:x"), "constructor")).toBe("x");
  });
});
