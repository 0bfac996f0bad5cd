import { TesseraError } from "@tessera/store";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { FastifySessionError } from "../src/errors.js";

describeErrorClass({
  ErrorClass: FastifySessionError,
  codePrefix: "ERR_FASTIFY_",
  code: "ERR_FASTIFY_INVALID_OPTION",
  base: TesseraError,
});
