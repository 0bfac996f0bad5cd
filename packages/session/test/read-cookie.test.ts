import { describe, expect, it } from "vitest";
import { readSessionCookies as read } from "../src/lib/read-cookie.js";

const readSessionCookies = (header: string, name: string, withChunks: boolean) =>
  read(header, name, withChunks, 22_528);

describe("readSessionCookies", () => {
  it.each([
    ["single", "__Host-sid=abc", "abc", false],
    ["with others and OWS", "a=1;  __Host-sid=abc\t; b=2", "abc", false],
    ["duplicates flagged, no value trusted", "__Host-sid=A; __Host-sid=B", undefined, true],
    ["case variant is another cookie (names are case-sensitive)", "__HOST-sid=A", undefined, false],
    ["prefix of a longer name ignored", "__Host-sidx=A; __Host-si=B", undefined, false],
    ["raw, not decoded", "__Host-sid=a%2Eb", "a%2Eb", false],
    ["quotes kept", '__Host-sid="abc"', '"abc"', false],
    ["no header", "", undefined, false],
  ])("%s", (_, header, value, duplicate) => {
    const read = readSessionCookies(header, "__Host-sid", false);
    expect(read.value).toBe(value);
    expect(read.duplicate).toBe(duplicate);
  });

  it("reassembles chunks only when asked, by index", () => {
    const header = "__Host-s.1=cd; __Host-s.0=2:ab; x=1";
    expect(readSessionCookies(header, "__Host-s", false).value).toBeUndefined();
    const read = readSessionCookies(header, "__Host-s", true);
    expect(read.value).toBe("abcd");
    expect(Object.keys(read.present).sort()).toEqual(["__Host-s.0", "__Host-s.1"]);
  });

  it.each([
    ["missing chunk", "__Host-s.0=3:ab; __Host-s.1=cd"],
    ["extra chunk", "__Host-s.0=1:ab; __Host-s.1=cd"],
    ["plain beside chunks", "__Host-s=zz; __Host-s.0=1:ab"],
  ])("refuses %s", (_, header) => {
    expect(readSessionCookies(header, "__Host-s", true).value).toBeUndefined();
  });

  it("flags a duplicated chunk", () => {
    const read = readSessionCookies("__Host-s.0=1:ab; __Host-s.0=1:cd", "__Host-s", true);
    expect(read.duplicate).toBe(true);
  });

  it("finds a second copy past the parser's default pair and byte limits", () => {
    const pad = Array.from({ length: 300 }, (_, i) => `c${i}=${"x".repeat(40)}`).join("; ");
    for (const withChunks of [false, true]) {
      const found = readSessionCookies(`__Host-s=A; ${pad}; __Host-s=B`, "__Host-s", withChunks);
      expect(found).toMatchObject({ value: undefined, duplicate: true, tooLarge: false });
    }
    const chunk = readSessionCookies(`__Host-s.0=1:A; ${pad}; __Host-s.0=1:B`, "__Host-s", true);
    expect(chunk.duplicate).toBe(true);
  });

  it("a header over the limit yields no value, only the names seen before it", () => {
    const found = read(`__Host-s=A; p=${"x".repeat(100)}; __Host-s=B`, "__Host-s", false, 64);
    expect(found).toMatchObject({ value: undefined, duplicate: false, tooLarge: true });
    expect({ ...found.present }).toEqual({ "__Host-s": "A" });
  });

  it("more chunk names than any set we write is no value, and keeps the clean-up bounded", () => {
    const header = Array.from({ length: 100 }, (_, i) => `__Host-s.${i}=${i}`).join("; ");
    const found = readSessionCookies(header, "__Host-s", true);
    expect(found.value).toBeUndefined();
    expect(Object.keys(found.present)).toHaveLength(64);
  });
});
