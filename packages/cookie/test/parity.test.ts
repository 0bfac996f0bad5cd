/**
 * Behaviour parity with jshttp/cookie@2.0.2 on inputs both accept, and a pinned
 * list of every deliberate difference (each one is listed in the README).
 */
import * as peer from "cookie";
import { describe, expect, it } from "vitest";
import {
  parseCookie,
  parseSetCookie,
  type SerializeOptions,
  serializeSetCookie,
} from "../src/index.js";
import vectors from "./vectors/cookie-headers.json" with { type: "json" };

const plain = (o: object) => ({ ...o });

/** A Set-Cookie line as an order-independent map of attributes. */
function attributeSet(line: string): Record<string, string> {
  const [pair, ...rest] = line.split("; ");
  const out: Record<string, string> = { "": pair! };
  for (const attr of rest) {
    const eq = attr.indexOf("=");
    out[eq === -1 ? attr : attr.slice(0, eq)] = eq === -1 ? "" : attr.slice(eq + 1);
  }
  return out;
}

describe("parity with cookie@2.0.2", () => {
  const shared = vectors.vectors.filter((v) => !v.header.startsWith("="));

  it.each(shared)("parseCookie: $name", ({ header }) => {
    expect(plain(parseCookie(header))).toEqual(plain(peer.parseCookie(header)));
    const raw = (s: string) => s;
    expect(plain(parseCookie(header, { decode: false }))).toEqual(
      plain(peer.parseCookie(header, { decode: raw })),
    );
  });

  const expires = new Date(Date.now() + 3_600_000);
  it.each<[string, string, SerializeOptions]>([
    ["sid", "abc", {}],
    ["theme", "dark mode", {}],
    ["k", "100%", {}],
    ["k", "é€😄", {}],
    ["k", 'a"b,c;d\\e', {}],
    ["sid", "v", { path: "/", httpOnly: true, secure: true, sameSite: "lax" }],
    ["sid", "v", { domain: "example.com", path: "/app", maxAge: 3600, expires }],
    ["sid", "v", { sameSite: "Strict", priority: "medium" }],
    ["sid", "v", { sameSite: "none", secure: true, partitioned: true, priority: "LOW" }],
    ["sid", "v", { maxAge: 0 }],
  ])(
    "serializeSetCookie(%j, %j, %j) has the same cookie and attributes",
    (name, value, options) => {
      const ours = serializeSetCookie(name, value, options);
      const theirs = peer.stringifySetCookie({ name, value, ...options } as peer.SetCookie);
      expect(attributeSet(ours)).toEqual(attributeSet(theirs));
    },
  );

  it.each([
    "sid=abc",
    "sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax",
    "sid=abc; Domain=example.com; Path=/app; Max-Age=3600",
    "sid=a%20b; Expires=Wed, 09 Jun 2021 10:18:14 GMT",
    "sid=abc; Partitioned; Priority=High; SameSite=None; Secure",
    "token",
    "a=b; Max-Age=abc; Expires=InvalidDate",
    "a=b;;; HttpOnly=false;;; Secure;;",
  ])("parseSetCookie(%j) reports what cookie reports", (line) => {
    const { name, value, attributes } = parseSetCookie(line)!;
    expect({ name, value, ...attributes }).toEqual(plain(peer.parseSetCookie(line)));
  });

  describe("deliberate differences", () => {
    it('parse: empty names are dropped (cookie keeps key "")', () => {
      expect(plain(parseCookie("=abc; sid=1"))).toEqual({ sid: "1" });
      expect(plain(peer.parseCookie("=abc; sid=1"))).toEqual({ "": "abc", sid: "1" });
    });

    it("parse: 8 KiB / 200 pair caps (cookie reads everything)", () => {
      const header = Array.from({ length: 300 }, (_, i) => `c${i}=1`).join("; ");
      expect(Object.keys(parseCookie(header))).toHaveLength(200);
      expect(Object.keys(peer.parseCookie(header))).toHaveLength(300);
    });

    it("parse: arrays of fields and non-strings accepted (cookie throws on undefined)", () => {
      expect(plain(parseCookie(["a=1", "b=2"]))).toEqual({ a: "1", b: "2" });
      expect(plain(parseCookie(undefined))).toEqual({});
      expect(() => peer.parseCookie(undefined as never)).toThrow();
    });

    it.each([
      ["names outside RFC 9110 token", "a/b", "v", {}],
      ["a leading-dot domain", "k", "v", { domain: ".example.com" }],
      ["paths with quotes, spaces, >", "k", "v", { path: '/a b"x>' }],
      ["negative Max-Age", "k", "v", { maxAge: -1 }],
      ["Max-Age over 400 days", "k", "v", { maxAge: 34_560_001 }],
      [
        "Expires over 400 days ahead",
        "k",
        "v",
        { expires: new Date(Date.now() + 500 * 86_400_000) },
      ],
      [
        "disagreeing Max-Age and Expires",
        "k",
        "v",
        { maxAge: 60, expires: new Date(Date.now() + 3_600_000) },
      ],
      ["sameSite: true", "k", "v", { sameSite: true }],
      ["SameSite=None without Secure", "k", "v", { sameSite: "none" }],
      ["Partitioned without Secure", "k", "v", { partitioned: true }],
      ["__Host- without Secure", "__Host-k", "v", {}],
      ["mixed-case prefixes", "__HOST-k", "v", { secure: true }],
      ["name plus value over 4096 octets", "k", "x".repeat(5000), {}],
      ["a non-string value", "k", undefined, {}],
    ])("serialize: we throw on %s, cookie writes it", (_label, name, value, options) => {
      expect(() =>
        (serializeSetCookie as (n: string, v: unknown, o: unknown) => string)(name, value, options),
      ).toThrow();
      expect(() =>
        peer.stringifySetCookie({ name, value, ...options } as peer.SetCookie),
      ).not.toThrow();
    });

    it("serialize: fixed attribute order Path, Domain, Expires, Max-Age, HttpOnly, Secure, SameSite, Partitioned, Priority", () => {
      const options = {
        path: "/",
        domain: "example.com",
        maxAge: 60,
        httpOnly: true,
        secure: true,
      };
      expect(serializeSetCookie("k", "v", options)).toBe(
        "k=v; Path=/; Domain=example.com; Max-Age=60; HttpOnly; Secure",
      );
      expect(peer.stringifySetCookie({ name: "k", value: "v", ...options })).toBe(
        "k=v; Max-Age=60; Domain=example.com; Path=/; HttpOnly; Secure",
      );
    });

    it("serialize: a __Host- cookie without path gets Path=/", () => {
      expect(serializeSetCookie("__Host-k", "v", { secure: true })).toBe(
        "__Host-k=v; Path=/; Secure",
      );
      expect(peer.stringifySetCookie({ name: "__Host-k", value: "v", secure: true })).toBe(
        "__Host-k=v; Secure",
      );
    });

    it("parseSetCookie: nested attributes object, null for unusable lines", () => {
      expect(parseSetCookie("a=b; Secure")).toEqual({
        name: "a",
        value: "b",
        attributes: { secure: true },
      });
      expect(parseSetCookie("a=b\u0000c")).toBeNull();
      expect(peer.parseSetCookie("a=b\u0000c").value).toBe("b\u0000c");
    });

    it("parseSetCookie: Domain lower-cased without leading dot, Path must start with /", () => {
      expect(parseSetCookie("a=b; Domain=.Example.com; Path=x")!.attributes).toEqual({
        domain: "example.com",
      });
      expect(peer.parseSetCookie("a=b; Domain=.Example.com; Path=x")).toMatchObject({
        domain: ".Example.com",
        path: "x",
      });
    });

    it("parseSetCookie: Expires parsed with the RFC 6265bis cookie-date algorithm, not Date()", () => {
      expect(parseSetCookie("a=b; Expires=2030-01-01")!.attributes.expires).toBeUndefined();
      expect(peer.parseSetCookie("a=b; Expires=2030-01-01").expires).toBeInstanceOf(Date);
    });

    it("parse results inherit nothing but are not Object.create(null) (a frozen empty null-prototype object sits between)", () => {
      const ours = parseCookie("a=1");
      expect(Object.getPrototypeOf(Object.getPrototypeOf(ours))).toBeNull();
      expect(Object.isFrozen(Object.getPrototypeOf(ours))).toBe(true);
      expect(Object.isFrozen(Object.getPrototypeOf(peer.parseCookie("a=1")))).toBe(false);
    });
  });
});
