import { describe, expect, it } from "vitest";
import { parseSetCookie } from "../src/parse-set-cookie.js";
import vectors from "./vectors/set-cookie.json" with { type: "json" };

interface Expected {
  name: string;
  value: string;
  attributes: Record<string, unknown>;
}

function normalise(expected: Expected) {
  const attributes = { ...expected.attributes };
  if (typeof attributes.expires === "number") attributes.expires = new Date(attributes.expires);
  return { ...expected, attributes };
}

describe("parseSetCookie (RFC 6265bis §5.6)", () => {
  it.each(vectors.vectors)("$header", ({ header, expected }) => {
    expect(parseSetCookie(header)).toEqual(normalise(expected as Expected));
  });

  it.each(vectors.rejected)("returns null for %j", (header) => {
    expect(parseSetCookie(header)).toBeNull();
  });

  it("returns null for name plus value over 4096 octets", () => {
    expect(parseSetCookie(`a=${"x".repeat(4096)}`)).toBeNull();
    expect(parseSetCookie(`a=${"x".repeat(4095)}`)?.value).toHaveLength(4095);
  });

  it("ignores an attribute value over 1024 octets", () => {
    expect(parseSetCookie(`a=b; Path=/${"p".repeat(1024)}`)?.attributes).toEqual({});
    expect(parseSetCookie(`a=b; Path=/${"p".repeat(1023)}`)?.attributes.path).toHaveLength(1024);
  });

  it("reads the value raw with decode: false", () => {
    expect(parseSetCookie("a=%41", { decode: false })?.value).toBe("%41");
    expect(parseSetCookie("a=%41")?.value).toBe("A");
    expect(parseSetCookie("a=%E0%A4%A")?.value).toBe("%E0%A4%A");
  });

  it.each([undefined, null, 1, {}])("returns null for non-string %j", (input) => {
    expect(parseSetCookie(input as never)).toBeNull();
  });

  it.each([
    ["Wed, 09 Jun 2021 10:18:14 GMT", Date.UTC(2021, 5, 9, 10, 18, 14)],
    ["09 Jun 2021 10:18:14", Date.UTC(2021, 5, 9, 10, 18, 14)],
    ["Thu, 1 Jan 70 0:0:0 GMT", 0],
    ["Sat, 01 Jan 2000 00:00:00 GMT garbage", Date.UTC(2000, 0, 1)],
    ["Fri, 29 Feb 2028 23:59:59 GMT", Date.UTC(2028, 1, 29, 23, 59, 59)],
    ["31 Dec 9999 23:59:59", Date.UTC(9999, 11, 31, 23, 59, 59)],
    ["Tue, 24 Dec 1600 10:00:00 GMT", null],
    ["Wed, 09 Jun 2021 24:00:00 GMT", null],
    ["Wed, 09 Jun 2021 10:60:00 GMT", null],
    ["Wed, 32 Jun 2021 10:00:00 GMT", null],
    ["Wed, 09 Jux 2021 10:00:00 GMT", null],
    ["Wed, 09 Jun 10:00:00 GMT", null],
    ["Fri, 29 Feb 2026 00:00:00 GMT", null],
    ["123:00:00 01 Jan 2020", null],
  ])("cookie-date %j", (date, expected) => {
    const parsed = parseSetCookie(`a=b; Expires=${date}`);
    expect(parsed?.attributes.expires?.getTime() ?? null).toBe(expected);
  });
});
