import { describe, expect, it } from "vitest";
import { clearCookie } from "../src/clear-cookie.js";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError } from "../src/errors.js";
import { parseSetCookie } from "../src/parse-set-cookie.js";

describe("clearCookie (Max-Age=0, epoch Expires, the original Path and Domain)", () => {
  it("clears a cookie set with the library defaults", () => {
    expect(clearCookie("__Host-sid")).toBe(
      "__Host-sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
  });

  it("repeats the Path and Domain the cookie was set with", () => {
    expect(clearCookie("sid", { ...secureCookieDefaults, path: "/app" })).toBe(
      "sid=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
    expect(clearCookie("theme", { path: "/app", domain: "example.com" })).toBe(
      "theme=; Path=/app; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
    );
  });

  it("ignores maxAge, expires and priority of the original attributes", () => {
    const line = clearCookie("k", { maxAge: 600, expires: Date.now() + 600_000, priority: "high" });
    expect(line).toBe("k=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
  });

  it("keeps Partitioned so a CHIPS cookie is cleared in its partition", () => {
    expect(
      clearCookie("__Host-x", { secure: true, partitioned: true, sameSite: "none" }),
    ).toContain("; Secure; SameSite=None; Partitioned");
  });

  it("is parsed by a browser-like parser as an expired empty cookie", () => {
    const parsed = parseSetCookie(clearCookie("__Host-sid"));
    expect(parsed).toMatchObject({ name: "__Host-sid", value: "", attributes: { maxAge: 0 } });
    expect(parsed?.attributes.expires?.getTime()).toBe(0);
  });

  it("validates like serializeSetCookie", () => {
    expect(() => clearCookie("a b")).toThrow(CookieError);
    expect(() =>
      clearCookie("__Host-sid", { secure: true, domain: "example.com" } as never),
    ).toThrow(expect.objectContaining({ code: "ERR_COOKIE_PREFIX_VIOLATION" }));
  });
});
