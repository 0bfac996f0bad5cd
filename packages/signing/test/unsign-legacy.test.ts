import cookieSignature from "cookie-signature";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unsignLegacy } from "../src/unsign-legacy.js";

const secret = "keyboard cat";

describe("unsignLegacy", () => {
  it("verifies cookies made by the real cookie-signature, raw and URL-encoded", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ minLength: 1, maxLength: 100 }),
        (value, key) => {
          const cookie = `s:${cookieSignature.sign(value, key)}`;
          if (!/[\uD800-\uDFFF]/.test(value + key)) {
            expect(unsignLegacy(cookie, [key])).toBe(value);
            expect(unsignLegacy(encodeURIComponent(cookie), ["other", key])).toBe(value);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("accepts a Uint8Array secret as cookie-signature does a Buffer", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(100));
    const cookie = `s:${cookieSignature.sign("abc", Buffer.from(bytes))}`;
    expect(unsignLegacy(cookie, [bytes])).toBe("abc");
  });

  it("refuses tampering, unsigned and wrong-secret cookies without throwing", () => {
    const cookie = `s:${cookieSignature.sign("sid123", secret)}`;
    const bad = [
      cookie.slice(0, -1),
      `${cookie}x`,
      `${cookie}=`,
      cookie.replace("sid123", "sid124"),
      cookie.slice(2),
      "s%3Aabc.%E0%A4%A",
      "",
      "s:",
      "s:.",
    ];
    for (const b of bad) expect(unsignLegacy(b, [secret])).toBeNull();
    expect(unsignLegacy(cookie, ["another secret"])).toBeNull();
    expect(unsignLegacy(null as never, [secret])).toBeNull();
    expect(() => unsignLegacy(cookie, [])).toThrow(/oldSecrets/);
  });
});
