import { StoreError, TesseraError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { SessionError } from "../src/index.js";

describe("SessionError", () => {
  // Regression: SessionError carried its own brand instead of the shared Tessera error shape.
  it("is a TesseraError with the ERR_SESSION_ prefix", () => {
    const error = new SessionError("ERR_SESSION_CONFLICT", "conflict", { cause: "why" });
    expect(error).toBeInstanceOf(TesseraError);
    expect(error.name).toBe("SessionError");
    expect(error.code).toBe("ERR_SESSION_CONFLICT");
    expect(error.cause).toBe("why");
    expect(SessionError.codePrefix).toBe("ERR_SESSION_");
  });

  it("isInstance recognises a copy from another instance of the package, and nothing else", () => {
    // What a second copy of the package (ESM next to CommonJS) creates: same mark and code, other class.
    const foreign = Object.assign(new Error("x"), { code: "ERR_SESSION_TOO_LARGE" });
    Object.defineProperty(foreign, Symbol.for("@tessera/error"), { value: true });
    expect(SessionError.isInstance(foreign)).toBe(true);
    expect(SessionError.isInstance(new StoreError("ERR_STORE_BACKEND", "x"))).toBe(false);
    expect(
      SessionError.isInstance(Object.assign(new Error("x"), { code: "ERR_SESSION_LIMIT" })),
    ).toBe(false);
  });

  it("keeps the HTTP getters Express and Fastify error handlers read", () => {
    const error = new SessionError("ERR_SESSION_REAUTH_REQUIRED", "log in again");
    expect(error.status).toBe(401);
    expect(error.statusCode).toBe(401);
    expect(error.headers).toMatchObject({ "cache-control": "no-store" });
    expect(new SessionError("ERR_SESSION_INVALID_OPTION", "x").status).toBeUndefined();
  });
});
