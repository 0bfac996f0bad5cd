import { describe, expect, it } from "vitest";
import { secureCookieDefaults } from "../src/defaults.js";
import { CookieError } from "../src/errors.js";

/** An error as another copy of a Tessera package would throw it: the shared mark and a code. */
const marked = (code: string): Error =>
  Object.defineProperty(Object.assign(new Error("x"), { code }), Symbol.for("@tessera/error"), {
    value: true,
  });

describe("CookieError", () => {
  it("carries a stable code, a name, the cause and the package's code prefix", () => {
    const cause = new Error("inner");
    const error = new CookieError("ERR_COOKIE_INVALID_NAME", "bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_COOKIE_INVALID_NAME");
    expect(error.name).toBe("CookieError");
    expect(error.cause).toBe(cause);
    expect("cause" in new CookieError("ERR_COOKIE_INVALID_NAME", "bad")).toBe(false);
    expect(CookieError.codePrefix).toBe("ERR_COOKIE_");
  });

  // instanceof fails across two copies of the package (ESM and CJS side by side).
  it.each<[string, boolean, unknown]>([
    ["its own error", true, new CookieError("ERR_COOKIE_INVALID_NAME", "x")],
    ["its error from another copy", true, marked("ERR_COOKIE_INVALID_NAME")],
    ["another package's Tessera error", false, marked("ERR_SIGNING_NO_KEY")],
    [
      "an unmarked look-alike",
      false,
      Object.assign(new Error("x"), { code: "ERR_COOKIE_INVALID_NAME" }),
    ],
    ["null", false, null],
    ["a bare code", false, "ERR_COOKIE_INVALID_NAME"],
  ])("isInstance of %s is %s", (_what, expected, value) => {
    expect(CookieError.isInstance(value)).toBe(expected);
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
