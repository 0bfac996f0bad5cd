import { describe, expect, it } from "vitest";
import { SigningError } from "../src/errors.js";

/** An error as another copy of a Tessera package would throw it: the shared mark and a code. */
const marked = (code: string): Error =>
  Object.defineProperty(Object.assign(new Error("x"), { code }), Symbol.for("@tessera/error"), {
    value: true,
  });

describe("SigningError", () => {
  it("carries a stable code, a name, the cause and the package's code prefix", () => {
    const cause = new Error("inner");
    const error = new SigningError("ERR_SIGNING_NO_KEY", "bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_SIGNING_NO_KEY");
    expect(error.name).toBe("SigningError");
    expect(error.cause).toBe(cause);
    expect("cause" in new SigningError("ERR_SIGNING_NO_KEY", "bad")).toBe(false);
    expect(SigningError.codePrefix).toBe("ERR_SIGNING_");
  });

  // instanceof fails across two copies of the package (ESM and CJS side by side).
  it.each<[string, boolean, unknown]>([
    ["its own error", true, new SigningError("ERR_SIGNING_NO_KEY", "x")],
    ["its error from another copy", true, marked("ERR_SIGNING_SECRET_TOO_SHORT")],
    ["another package's Tessera error", false, marked("ERR_COOKIE_INVALID_NAME")],
    [
      "an unmarked look-alike",
      false,
      Object.assign(new Error("x"), { code: "ERR_SIGNING_SECRET_TOO_SHORT" }),
    ],
    ["null", false, null],
    ["a bare code", false, "ERR_SIGNING_SECRET_TOO_SHORT"],
  ])("isInstance of %s is %s", (_what, expected, value) => {
    expect(SigningError.isInstance(value)).toBe(expected);
  });
});
