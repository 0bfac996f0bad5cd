import { StoreError, StoreUnavailableError, TesseraError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { TokensError } from "../src/index.js";

/** An error as another copy of a Tessera package would throw it: the shared mark and a code. */
const marked = (code: string): Error =>
  Object.defineProperty(Object.assign(new Error("x"), { code }), Symbol.for("@tessera/error"), {
    value: true,
  });

describe("TokensError", () => {
  it("is a TesseraError with a stable code, a name and the cause", () => {
    const cause = new Error("inner");
    const error = new TokensError("ERR_TOKENS_UNSUPPORTED", "no index", { cause });
    expect(error).toBeInstanceOf(TesseraError);
    expect(error.code).toBe("ERR_TOKENS_UNSUPPORTED");
    expect(error.name).toBe("TokensError");
    expect(error.cause).toBe(cause);
    expect(TokensError.codePrefix).toBe("ERR_TOKENS_");
  });

  // instanceof fails across two copies of the package (ESM and CJS side by side).
  it.each<[string, boolean, unknown]>([
    ["its own error", true, new TokensError("ERR_TOKENS_UNSUPPORTED", "x")],
    ["its error from another copy", true, marked("ERR_TOKENS_INVALID_OPTION")],
    ["the store's error", false, new StoreUnavailableError()],
    [
      "an unmarked look-alike",
      false,
      Object.assign(new Error("x"), { code: "ERR_TOKENS_UNSUPPORTED" }),
    ],
  ])("isInstance of %s is %s", (_what, expected, value) => {
    expect(TokensError.isInstance(value)).toBe(expected);
  });

  it("is recognised as a Tessera error, but not as the store's", () => {
    const error = new TokensError("ERR_TOKENS_UNSUPPORTED", "x");
    expect(TesseraError.isInstance(error)).toBe(true);
    expect(StoreError.isInstance(error)).toBe(false);
  });
});
