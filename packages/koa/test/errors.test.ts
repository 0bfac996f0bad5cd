import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { KoaSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: KoaSessionError,
  codePrefix: "ERR_KOA_",
  code: "ERR_KOA_NO_SESSION",
  base: TesseraError,
});
