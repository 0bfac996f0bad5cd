import { describe, expect, it } from "vitest";
import { parseCookie } from "./parse-cookie.js";

describe("parseCookie", () => {
  it.each([
    ["a=1; b=2", { a: "1", b: "2" }],
    ["a=1; a=2", { a: "1" }],
    ["=x; b=2", { b: "2" }],
    ["", {}],
  ])("parses %j", (header, expected) => {
    expect({ ...parseCookie(header) }).toEqual(expected);
  });

  it("returns a null-prototype object", () => {
    expect(Object.getPrototypeOf(parseCookie("__proto__=x"))).toBeNull();
  });
});
