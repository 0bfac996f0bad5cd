import { describe, expect, it } from "vitest";
import { SigningError } from "../src/errors.js";

describe("SigningError", () => {
  it("carries a stable code, a name and the cause", () => {
    const cause = new Error("inner");
    const error = new SigningError("ERR_SIGNING_NO_KEY", "no key", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_SIGNING_NO_KEY");
    expect(error.name).toBe("SigningError");
    expect(error.cause).toBe(cause);
    expect("cause" in new SigningError("ERR_SIGNING_NO_KEY", "no key")).toBe(false);
  });

  it("isInstance recognises an error from another copy of the package by the shared mark and its code", () => {
    const foreign = new Error("other copy");
    Object.defineProperty(foreign, Symbol.for("@tessera/error"), { value: true });
    Object.assign(foreign, { code: "ERR_SIGNING_SECRET_TOO_SHORT" });
    expect(SigningError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof SigningError).toBe(false);
    expect(SigningError.codePrefix).toBe("ERR_SIGNING_");
    expect(SigningError.isInstance(new SigningError("ERR_SIGNING_NO_KEY", "x"))).toBe(true);
  });

  it("isInstance refuses another package's Tessera error, an unmarked look-alike and non-objects", () => {
    const cookie = new Error("x");
    Object.defineProperty(cookie, Symbol.for("@tessera/error"), { value: true });
    Object.assign(cookie, { code: "ERR_COOKIE_INVALID_NAME" });
    expect(SigningError.isInstance(cookie)).toBe(false);
    const lookAlike = Object.assign(new Error("x"), { code: "ERR_SIGNING_NO_KEY" });
    expect(SigningError.isInstance(lookAlike)).toBe(false);
    expect(SigningError.isInstance(null)).toBe(false);
    expect(SigningError.isInstance("ERR_SIGNING_NO_KEY")).toBe(false);
  });
});
