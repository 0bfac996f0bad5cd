import { describe, expect, it } from "vitest";
import { TokensError, unauthorizedResponse } from "../src/index.js";
import { setup } from "./helpers.js";

describe("unauthorizedResponse (RFC 6750 §3)", () => {
  it.each([
    ["missing", 401, 'Bearer realm="api"'],
    ["malformed", 400, 'Bearer realm="api", error="invalid_request"'],
    ["invalid", 401, 'Bearer realm="api", error="invalid_token", error_description="invalid"'],
    ["expired", 401, 'Bearer realm="api", error="invalid_token", error_description="expired"'],
    ["revoked", 401, 'Bearer realm="api", error="invalid_token", error_description="revoked"'],
    [
      "auth_too_old",
      401,
      'Bearer realm="api", error="insufficient_user_authentication", max_age=300',
    ],
    [
      "insufficient_acr",
      401,
      'Bearer realm="api", error="insufficient_user_authentication", acr_values="mfa hwk"',
    ],
  ])("%s → %i %s", (reason, status, challenge) => {
    const response = unauthorizedResponse(
      { reason },
      { realm: "api", maxAuthAge: 300, acrValues: ["mfa", "hwk"] },
    );
    expect(response.status).toBe(status);
    expect(response.headers.get("www-authenticate")).toBe(challenge);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("without a realm", () => {
    expect(unauthorizedResponse({ reason: "missing" }).headers.get("www-authenticate")).toBe(
      "Bearer",
    );
  });

  it("refuses a realm that would break out of the quoted string", () => {
    expect(() => unauthorizedResponse({ reason: "missing" }, { realm: 'a", error="x' })).toThrow(
      TokensError,
    );
  });
});

describe("verifyRequest", () => {
  it("verifies the Authorization header only, never the URL (decision 6)", async () => {
    const { tokens } = await setup();
    const { accessToken } = await tokens.issue("u1");
    const ok = await tokens.verifyRequest(
      new Request("https://api.example/me", {
        headers: { authorization: `Bearer ${accessToken}` },
      }),
    );
    expect(ok).toMatchObject({ ok: true, claims: { sub: "u1" } });
    const inUrl = await tokens.verifyRequest(
      new Request(`https://api.example/me?access_token=${accessToken}`),
    );
    expect(inUrl).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    ["Basic dXNlcjpwYXNz", "missing"],
    ["Bearer abc", "malformed"],
    ["Bearer a.b.c", "malformed"],
  ])("%j → %s", async (authorization, reason) => {
    const { tokens } = await setup();
    const result = await tokens.verifyRequest(
      new Request("https://api.example/", { headers: { authorization } }),
    );
    expect(result).toMatchObject({ ok: false, reason });
  });

  // Regression: `Authorization: Basic ...` answered 400 invalid_request; a
  // request lacking Bearer authentication gets 401 and a bare challenge (RFC 6750 §3.1).
  it("another scheme (Basic) gives a 401 Bearer challenge with the realm and no error code", async () => {
    const { tokens } = await setup();
    const result = await tokens.verifyRequest(
      new Request("https://api.example/", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
    );
    expect(result.ok).toBe(false);
    const response = unauthorizedResponse(result as { reason: string }, { realm: "api" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("an expired token gives a 401 invalid_token challenge", async () => {
    const { tokens, clock } = await setup();
    const { accessToken } = await tokens.issue("u1");
    clock.advance(3600);
    const result = await tokens.verifyRequest(
      new Request("https://api.example/", { headers: { authorization: `Bearer ${accessToken}` } }),
    );
    expect(result).toMatchObject({ ok: false, reason: "expired" });
    if (result.ok) return;
    const response = unauthorizedResponse(result);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});
