import { StoreError, StoreUnavailableError, TesseraError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { TokensError } from "../src/index.js";

describe("TokensError", () => {
  it("is a TesseraError with a stable code, a name and the cause", () => {
    const cause = new Error("inner");
    const error = new TokensError("ERR_TOKENS_UNSUPPORTED", "no index", { cause });
    expect(error).toBeInstanceOf(TesseraError);
    expect(error.code).toBe("ERR_TOKENS_UNSUPPORTED");
    expect(error.name).toBe("TokensError");
    expect(error.cause).toBe(cause);
    expect(TesseraError.isInstance(error)).toBe(true);
  });

  it("isInstance recognises an error from another copy of the package by the shared mark and its code", () => {
    const foreign = new Error("other copy");
    Object.defineProperty(foreign, Symbol.for("@tessera/error"), { value: true });
    Object.assign(foreign, { code: "ERR_TOKENS_INVALID_OPTION" });
    expect(TokensError.isInstance(foreign)).toBe(true);
    expect(foreign instanceof TokensError).toBe(false);
  });

  it("isInstance keeps tokens' errors and the store's apart", () => {
    expect(TokensError.isInstance(new StoreUnavailableError())).toBe(false);
    expect(StoreError.isInstance(new TokensError("ERR_TOKENS_UNSUPPORTED", "x"))).toBe(false);
  });
});
