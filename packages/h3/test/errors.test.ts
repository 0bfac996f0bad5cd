import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { H3SessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: H3SessionError,
  codePrefix: "ERR_H3_",
  code: "ERR_H3_NO_SESSION",
  base: TesseraError,
});
