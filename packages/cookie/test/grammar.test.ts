import { describe, expect, it } from "vitest";
import { COOKIE_OCTET, UNSAFE_OCTET } from "../src/lib/grammar.js";

describe("UNSAFE_OCTET", () => {
  it("matches exactly the code units outside cookie-octet, and %", () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const safe = c < 128 && COOKIE_OCTET[c] === 1 && c !== 0x25;
      if (UNSAFE_OCTET.test(String.fromCharCode(c)) === safe) wrong.push(c);
    }
    expect(wrong).toEqual([]);
  });

  it("finds one unsafe character anywhere in a value", () => {
    expect(UNSAFE_OCTET.test("abc")).toBe(false);
    expect(UNSAFE_OCTET.test("ab;c")).toBe(true);
    expect(UNSAFE_OCTET.test(`${"a".repeat(100)}\u00e9`)).toBe(true);
  });
});
