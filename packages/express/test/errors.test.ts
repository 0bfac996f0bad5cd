import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { ExpressSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: ExpressSessionError,
  codePrefix: "ERR_EXPRESS_",
  code: "ERR_EXPRESS_INVALID_OPTION",
  base: TesseraError,
});
