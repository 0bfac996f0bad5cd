import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { ReactRouterSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: ReactRouterSessionError,
  codePrefix: "ERR_REACT_ROUTER_",
  code: "ERR_REACT_ROUTER_FOREIGN_SESSION",
  base: TesseraError,
});
