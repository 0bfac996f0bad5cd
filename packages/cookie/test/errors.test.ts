import { describe, expect, it } from "vitest";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError } from "../src/errors.js";

describe("CookieError", () => {
  it("carries a stable code, a name and the cause", () => {
    const cause = new Error("inner");
    const error = new CookieError("ERR_COOKIE_INVALID_NAME", "bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_COOKIE_INVALID_NAME");
    expect(error.name).toBe("CookieError");
    expect(error.cause).toBe(cause);
  });

  it("isInstance recognises copies from another bundle through the Symbol.for brand", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("@tessera/cookie.CookieError")]: true,
      code: "ERR_COOKIE_INVALID_NAME",
    });
    expect(CookieError.isInstance(foreign)).toBe(true);
    expect(CookieError.isInstance(new Error("x"))).toBe(false);
    expect(CookieError.isInstance(null)).toBe(false);
    expect(CookieError.isInstance("ERR_COOKIE_INVALID_NAME")).toBe(false);
  });
});

describe("secureCookieDefaults", () => {
  it("is HttpOnly, Secure, SameSite=Lax, Path=/ and frozen (CK-01)", () => {
    expect(secureCookieDefaults).toEqual({
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
    });
    expect(Object.isFrozen(secureCookieDefaults)).toBe(true);
    expect(() => {
      (secureCookieDefaults as { secure: boolean }).secure = false;
    }).toThrow(TypeError);
  });
});
