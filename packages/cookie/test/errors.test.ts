import { describe, expect, it } from "vitest";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: CookieError,
  codePrefix: "ERR_COOKIE_",
  code: "ERR_COOKIE_INVALID_NAME",
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
