import { describe, expect, it } from "vitest";
import { joinChunks, parseCookie, parseCookieAll, parseSetCookie } from "../src/index.js";

const PROTO = "__proto__";
const hostile = "__proto__=x; constructor=y; toString=z; hasOwnProperty=w; valueOf=v; prototype=p";

describe("prototype pollution", () => {
  it.each([
    ["parseCookie", () => parseCookie(hostile)],
    ["parseCookie raw", () => parseCookie(hostile, { decode: false })],
  ])("%s keeps dangerous names as own string properties", (_label, run) => {
    const out = run() as Record<string, string>;
    expect(Object.keys(out)).toEqual([
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "prototype",
    ]);
    expect(out[PROTO]).toBe("x");
    expect(out.constructor).toBe("y");
    expect(out.toString).toBe("z");
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
  });

  it("leaves Object.prototype untouched", () => {
    const originalToString = Object.prototype.toString;
    parseCookie("__proto__=%7B%22x%22%3A1%7D; constructor.prototype.x=1");
    parseCookieAll(hostile);
    parseSetCookie("__proto__=x; Path=/");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.prototype.toString).toBe(originalToString);
    expect(String({})).toBe("[object Object]");
  });

  it("results inherit nothing: no Object.prototype in the chain", () => {
    const out = parseCookie("a=1");
    expect(Object.getPrototypeOf(out)).not.toBe(Object.prototype);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(out))).toBeNull();
    expect("toString" in out).toBe(false);
    expect("hasOwnProperty" in out).toBe(false);
    expect("__proto__" in out).toBe(false);
    expect(out.constructor).toBeUndefined();
  });

  it("the shared prototype is frozen, so one result cannot poison the next", () => {
    const proto = Object.getPrototypeOf(parseCookie("a=1")) as Record<string, unknown>;
    expect(Object.isFrozen(proto)).toBe(true);
    expect(() => {
      proto.injected = "x";
    }).toThrow(TypeError);
    expect(parseCookie("b=2").injected).toBeUndefined();
  });

  it("parseCookieAll keeps '__proto__' duplicates as an own array", () => {
    const all = parseCookieAll("__proto__=a; __proto__=b");
    expect(Object.hasOwn(all, "__proto__")).toBe(true);
    expect(all[PROTO]).toEqual(["a", "b"]);
  });

  it("a lookup on a missing name never reaches an inherited member", () => {
    const out = parseCookie("");
    for (const key of ["__proto__", "constructor", "toString", "valueOf", "__defineGetter__"]) {
      expect(out[key]).toBeUndefined();
    }
    expect(joinChunks(out, "toString")).toBeUndefined();
  });
});
