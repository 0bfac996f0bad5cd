import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { SvelteKitSessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: SvelteKitSessionError,
  codePrefix: "ERR_SVELTEKIT_",
  code: "ERR_SVELTEKIT_INVALID_OPTION",
  base: TesseraError,
});
