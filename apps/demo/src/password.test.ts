import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password.js";

const COST = { logN: 8, r: 8, p: 1 };

describe("password hashing (scrypt)", () => {
  it("verifies the right password and refuses others", async () => {
    const hash = await hashPassword("correct horse", COST);
    expect(hash).toMatch(/^scrypt\$8\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("correct horse", hash, COST)).toBe(true);
    expect(await verifyPassword("correct horsf", hash, COST)).toBe(false);
    expect(await verifyPassword("", hash, COST)).toBe(false);
  });

  it("salts every hash: the same password never hashes the same twice", async () => {
    const a = await hashPassword("same password", COST);
    const b = await hashPassword("same password", COST);
    expect(a).not.toBe(b);
    expect(a.split("$")[4]).not.toBe(b.split("$")[4]);
  });

  it("refuses an unknown user (no hash) after doing the same work", async () => {
    expect(await verifyPassword("anything", undefined, COST)).toBe(false);
    // Even the dummy hash's own password does not sign in a missing user.
    expect(await verifyPassword("tessera-demo-dummy-password", undefined, COST)).toBe(false);
  });

  it("treats composed and decomposed Unicode as one password (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9 au lait", COST);
    expect(await verifyPassword("cafe\u0301 au lait", hash, COST)).toBe(true);
  });

  it.each([
    "",
    "bcrypt$2b$10$abc",
    "scrypt$8$8$1$short$AAAA",
    "scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "scrypt$8$99$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "scrypt$x$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  ])("refuses a malformed or out-of-bounds stored hash %j without throwing", async (stored) => {
    expect(await verifyPassword("password", stored, COST)).toBe(false);
    expect(needsRehash(stored, COST)).toBe(true);
  });

  it("asks for a rehash when the cost changed", async () => {
    const hash = await hashPassword("pw-pw-pw-pw", COST);
    expect(needsRehash(hash, COST)).toBe(false);
    expect(needsRehash(hash, { ...COST, logN: 9 })).toBe(true);
    // The old hash still verifies under the new default: parameters live in the hash.
    expect(await verifyPassword("pw-pw-pw-pw", hash, { ...COST, logN: 9 })).toBe(true);
  });
});
