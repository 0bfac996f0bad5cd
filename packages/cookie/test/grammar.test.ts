import { describe, expect, it } from "vitest";
import { COOKIE_OCTET, DATE_DELIMITER, UNSAFE_OCTET } from "../src/lib/grammar.js";

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

const visible = (c: number): boolean => c >= 0x21 && c <= 0x7e;

describe("the tables built from the RFC's ABNF", () => {
  // Each table holds exactly the octets its rule describes in prose.
  it.each<[string, Uint8Array, (c: number) => boolean]>([
    [
      "cookie-octet: visible US-ASCII but DQUOTE, comma, semicolon and backslash (RFC 6265bis §4.1.1)",
      COOKIE_OCTET,
      (c) => visible(c) && !'",;\\'.includes(String.fromCharCode(c)),
    ],
    [
      "the cookie-date delimiter: tab, space, and visible US-ASCII but letters, digits and colon (§5.1.1)",
      DATE_DELIMITER,
      (c) =>
        c === 0x09 || c === 0x20 || (visible(c) && !/[A-Za-z0-9:]/.test(String.fromCharCode(c))),
    ],
  ])("%s", (_rule, table, accepts) => {
    expect(table).toHaveLength(128);
    for (let c = 0; c < 128; c++) expect(table[c], `0x${c.toString(16)}`).toBe(accepts(c) ? 1 : 0);
  });
});
