/**
 * Compile-time guardrails (checked by `tsc` in `pnpm typecheck`; an unused
 * `@ts-expect-error` fails it) plus the runtime result of each call.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  chunkSetCookie,
  clearCookie,
  type PrefixConstraint,
  parseCookie,
  parseCookieAll,
  secureCookieDefaults,
  serializeSetCookie,
} from "../src/index.js";

describe("types", () => {
  it("a literal __Host- name requires secure: true and forbids domain", () => {
    expect(serializeSetCookie("__Host-sid", "v", { secure: true })).toBe(
      "__Host-sid=v; Path=/; Secure",
    );
    expect(serializeSetCookie("__Host-sid", "v", secureCookieDefaults)).toContain("Secure");
    // @ts-expect-error options are required for a __Host- name
    expect(() => serializeSetCookie("__Host-sid", "v")).toThrow();
    // @ts-expect-error secure must be true
    expect(() => serializeSetCookie("__Host-sid", "v", { secure: false })).toThrow();
    const withDomain = { secure: true, domain: "example.com" } as const;
    // @ts-expect-error no domain on a __Host- cookie
    expect(() => serializeSetCookie("__Host-sid", "v", withDomain)).toThrow();
    // @ts-expect-error path must be "/"
    expect(() => serializeSetCookie("__Host-sid", "v", { secure: true, path: "/admin" })).toThrow();
  });

  it("__Secure-, __Http- and __Host-Http- constraints", () => {
    // @ts-expect-error __Secure- needs secure
    expect(() => serializeSetCookie("__Secure-sid", "v", {})).toThrow();
    // @ts-expect-error __Http- needs httpOnly
    expect(() => serializeSetCookie("__Http-sid", "v", { secure: true })).toThrow();
    expect(serializeSetCookie("__Host-Http-sid", "v", { secure: true, httpOnly: true })).toContain(
      "HttpOnly",
    );
    expectTypeOf<PrefixConstraint<"__Secure-x">>().toEqualTypeOf<{ secure: true }>();
  });

  it("plain and non-literal names stay unconstrained", () => {
    const name: string = "__Host-sid";
    expect(() => serializeSetCookie(name, "v")).toThrow();
    expect(serializeSetCookie("theme", "dark")).toBe("theme=dark");
    expect(clearCookie("theme", { path: "/" })).toContain("Path=/");
  });

  it("clearCookie and chunkSetCookie carry the same constraints", () => {
    expect(clearCookie("__Host-sid")).toContain("Path=/");
    // @ts-expect-error no domain on a __Host- cookie
    expect(() => clearCookie("__Host-sid", { secure: true, domain: "example.com" })).toThrow();
    // @ts-expect-error secure must be true
    expect(() => chunkSetCookie("__Host-s", "v", { secure: false })).toThrow();
  });

  it("parser results are string records", () => {
    expectTypeOf(parseCookie("a=1")).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(parseCookieAll("a=1")).toEqualTypeOf<Record<string, string[]>>();
    // @ts-expect-error sameSite is a closed set
    expect(() => serializeSetCookie("k", "v", { sameSite: "sometimes" })).toThrow();
  });
});
