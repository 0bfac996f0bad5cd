import { StoreError, TesseraError } from "@tessera/store";
import { expect, it } from "vitest";
import { describeErrorClass } from "../../../scripts/error-class-kit.js";
import { SessionError } from "../src/index.js";

// Regression: SessionError carried its own brand instead of the shared Tessera error shape.
describeErrorClass({
  ErrorClass: SessionError,
  codePrefix: "ERR_SESSION_",
  code: "ERR_SESSION_CONFLICT",
  foreign: new StoreError("ERR_STORE_BACKEND", "x"),
  base: TesseraError,
});

it("SessionError keeps the HTTP getters Express and Fastify error handlers read", () => {
  const error = new SessionError("ERR_SESSION_REAUTH_REQUIRED", "log in again");
  expect(error.status).toBe(401);
  expect(error.statusCode).toBe(401);
  expect(error.headers).toMatchObject({ "cache-control": "no-store" });
  expect(new SessionError("ERR_SESSION_INVALID_OPTION", "x").status).toBeUndefined();
});
