import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readBearerToken } from "../src/index.js";

describe("readBearerToken (RFC 6750 §2.1)", () => {
  it.each([
    ["Bearer abc.def.ghi", "abc.def.ghi"],
    ["bearer abc", "abc"],
    ["BEARER abc", "abc"],
    ["Bearer  abc", "abc"],
    ["Bearer a-._~+/b==", "a-._~+/b=="],
  ])("accepts %j", (header, token) => {
    expect(readBearerToken(header)).toEqual({ ok: true, token });
  });

  it.each([null, undefined, ""])("missing for %j", (header) => {
    expect(readBearerToken(header)).toEqual({ ok: false, reason: "missing" });
  });

  // Regression: another scheme was "malformed" (400 invalid_request), but a
  // request without Bearer credentials gets a bare 401 challenge (RFC 6750 §3.1).
  it.each([
    "Basic dXNlcjpwYXNz",
    "Token abc",
    'Digest username="u", realm="r", nonce="n"',
    "DPoP eyJhbGciOi",
    "Negotiate",
    "Bearerabc",
  ])("missing (no Bearer credentials) for another scheme: %j", (header) => {
    expect(readBearerToken(header)).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    "Bearer",
    "Bearer ",
    "Bearer abc def",
    "Bearer abc, Bearer def",
    " Bearer abc",
    "Bearer abc ",
    "Bearer a=b",
    "Bearer a\tb",
    "Basic dXNlcjpwYXNz, Bearer abc",
    "Basic dXNlcjpwYXNz,bearer abc",
    "(Basic) abc",
    `Basic ${"a".repeat(20_000)}`,
    `Bearer ${"a".repeat(20_000)}`,
  ])("malformed for %j", (header) => {
    expect(readBearerToken(header)).toEqual({ ok: false, reason: "malformed" });
  });

  it("never throws, and a token it returns is a b64token", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (suffix) => {
        const read = readBearerToken(`Bearer ${suffix}`);
        if (read.ok) expect(read.token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
      }),
      { numRuns: 500 },
    );
  });
});
