import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { SigningError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: SigningError,
  codePrefix: "ERR_SIGNING_",
  code: "ERR_SIGNING_NO_KEY",
});
