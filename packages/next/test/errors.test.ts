import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { NextSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: NextSessionError,
  codePrefix: "ERR_NEXT_",
  code: "ERR_NEXT_INVALID_OPTION",
  base: TesseraError,
});
