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

  it("isInstance recognises an error from another copy of the package by the shared mark and its code", () => {
    const foreign = new Error("other copy");
    Object.defineProperty(foreign, Symbol.for("@tessera/error"), { value: true });
    Object.assign(foreign, { code: "ERR_COOKIE_INVALID_NAME" });
    expect(CookieError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof CookieError).toBe(false);
    expect(CookieError.codePrefix).toBe("ERR_COOKIE_");
    expect(CookieError.isInstance(new Error("x"))).toBe(false);
    expect(CookieError.isInstance(null)).toBe(false);
    expect(CookieError.isInstance("ERR_COOKIE_INVALID_NAME")).toBe(false);
  });

  it("isInstance refuses another package's Tessera error and an unmarked look-alike", () => {
    const signing = new Error("x");
    Object.defineProperty(signing, Symbol.for("@tessera/error"), { value: true });
    Object.assign(signing, { code: "ERR_SIGNING_NO_KEY" });
    expect(CookieError.isInstance(signing)).toBe(false);
    const lookAlike = Object.assign(new Error("x"), { code: "ERR_COOKIE_INVALID_NAME" });
    expect(CookieError.isInstance(lookAlike)).toBe(false);
  });

  it("omits cause when none is given", () => {
    expect("cause" in new CookieError("ERR_COOKIE_INVALID_NAME", "bad")).toBe(false);
  });
});

describe("secureCookieDefaults", () => {
  it("is HttpOnly, Secure, SameSite=Lax, Path=/ and frozen", () => {
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
