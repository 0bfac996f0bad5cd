import { StoreError, StoreUnavailableError, TesseraError } from "@tessera/store";
import { expect, it } from "vitest";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { TokensError } from "../src/index.js";

describeErrorClass({
  ErrorClass: TokensError,
  codePrefix: "ERR_TOKENS_",
  code: "ERR_TOKENS_UNSUPPORTED",
  foreign: new StoreUnavailableError(),
  base: TesseraError,
});

it("a TokensError is not the store's error", () => {
  expect(StoreError.isInstance(new TokensError("ERR_TOKENS_UNSUPPORTED", "x"))).toBe(false);
});
