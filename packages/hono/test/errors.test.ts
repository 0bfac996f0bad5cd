import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { HonoSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: HonoSessionError,
  codePrefix: "ERR_HONO_",
  code: "ERR_HONO_INVALID_OPTION",
  base: TesseraError,
});
