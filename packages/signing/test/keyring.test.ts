import { randomBytes } from "node:crypto";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deriveKey } from "../src/derive-key.js";
import { SigningError } from "../src/errors.js";
import { generateKeyPair } from "../src/key-pair.js";
import { createKeyring, type KeyInput } from "../src/keyring.js";
import { randomToken } from "../src/random-token.js";
import { sign } from "../src/sign.js";
import { unsign } from "../src/unsign.js";
import vectors from "./vectors/rfc5869-hkdf-sha256.json";

const secret = () => randomToken(32);
function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (SigningError.isInstance(error)) return error.code;
    throw error;
  }
  return undefined;
}

afterEach(() => vi.unstubAllEnvs());

describe("createKeyring", () => {
  it("accepts text and Uint8Array secrets, first one primary", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const keys = createKeyring([
      { id: "a", secret: secret() },
      { id: "b", secret: bytes },
    ]);
    expect(keys.ids).toEqual(["a", "b"]);
    expect(keys.primaryId).toBe("a");
    expect(keys.has("b")).toBe(true);
    expect(keys.has("c")).toBe(false);
    expect(JSON.stringify(keys)).not.toContain(bytesToHex(bytes));
  });

  // An HMAC key at least as long as the hash output (RFC 7518 §3.2); jose and
  // noble alone accept shorter ones.
  it.each([
    ["0 bytes", new Uint8Array(0), "ERR_SIGNING_SECRET_TOO_SHORT"],
    ["1 byte", new Uint8Array([7]), "ERR_SIGNING_SECRET_TOO_SHORT"],
    ["16 bytes", crypto.getRandomValues(new Uint8Array(16)), "ERR_SIGNING_SECRET_TOO_SHORT"],
    ["31 bytes", crypto.getRandomValues(new Uint8Array(31)), "ERR_SIGNING_SECRET_TOO_SHORT"],
    ["31 bytes as text", randomToken(31), "ERR_SIGNING_SECRET_TOO_SHORT"],
    ["a password", "Tr0ub4dor&3-Horse!Battery", "ERR_SIGNING_INVALID_SECRET"],
    ["null", null, "ERR_SIGNING_INVALID_SECRET"],
    ["undefined", undefined, "ERR_SIGNING_INVALID_SECRET"],
    ["an object", {}, "ERR_SIGNING_INVALID_SECRET"],
    ["over-padded base64url", `${randomToken(32)}==`, "ERR_SIGNING_INVALID_SECRET"],
  ])("refuses a secret of %s", (_, bad, expected) => {
    expect(code(() => createKeyring([{ id: "k", secret: bad as Uint8Array }]))).toBe(expected);
  });

  // Regression: a node buffer secret was kept as `secret.slice()`, which for a
  // buffer is a view, so scrubbing the caller's buffer changed the keyring's key.
  it("copies a buffer secret, so zeroing the caller's buffer later changes nothing", () => {
    const secret = randomBytes(32);
    const expected = bytesToHex(
      deriveKey(createKeyring([{ id: "k", secret: Uint8Array.from(secret) }]), "csrf"),
    );
    const keys = createKeyring([{ id: "k", secret }]);
    secret.fill(0);
    // The csrf key is derived only now, after the caller scrubbed its buffer.
    expect(bytesToHex(deriveKey(keys, "csrf"))).toBe(expected);
  });

  it("accepts 32 random bytes", () => {
    expect(
      code(() => createKeyring([{ id: "k", secret: crypto.getRandomValues(new Uint8Array(32)) }])),
    ).toBe(undefined);
  });

  // One primary and at most 10 verification keys, unique ids, no shared key bytes.
  it.each<[string, () => KeyInput[], string]>([
    ["no keys", () => [], "ERR_SIGNING_INVALID_KEYRING"],
    [
      "12 keys (11 verify keys)",
      () => Array.from({ length: 12 }, (_, i) => ({ id: `k${i}`, secret: secret() })),
      "ERR_SIGNING_INVALID_KEYRING",
    ],
    [
      "a duplicate id",
      () => [
        { id: "k", secret: secret() },
        { id: "k", secret: secret() },
      ],
      "ERR_SIGNING_INVALID_KEY_ID",
    ],
    [
      "duplicate key bytes",
      () => {
        const s = secret();
        return [
          { id: "a", secret: s },
          { id: "b", secret: s },
        ];
      },
      "ERR_SIGNING_DUPLICATE_KEY",
    ],
    ["a dot in the id", () => [{ id: "a.b", secret: secret() }], "ERR_SIGNING_INVALID_KEY_ID"],
    ["an empty id", () => [{ id: "", secret: secret() }], "ERR_SIGNING_INVALID_KEY_ID"],
    [
      "a 65-char id",
      () => [{ id: "a".repeat(65), secret: secret() }],
      "ERR_SIGNING_INVALID_KEY_ID",
    ],
  ])("throws for %s", (_, make, expected) => {
    expect(code(() => createKeyring(make()))).toBe(expected);
  });

  it("accepts one primary and 10 verification keys", () => {
    const keys = createKeyring(
      Array.from({ length: 11 }, (_, i) => ({ id: `k${i}`, secret: secret() })),
    );
    expect(keys.ids).toHaveLength(11);
  });

  it("checks asymmetric keys against their declared algorithm", async () => {
    const ed = await generateKeyPair("EdDSA", { id: "ed" });
    const es = await generateKeyPair("ES256", { id: "es" });
    expect(code(() => createKeyring([ed, es]))).toBe(undefined);
    expect(code(() => createKeyring([{ ...ed, alg: "ES256" }]))).toBe("ERR_SIGNING_INVALID_KEY");
    expect(code(() => createKeyring([{ ...es, publicKey: es.privateKey! }]))).toBe(
      "ERR_SIGNING_INVALID_KEY",
    );
    expect(code(() => createKeyring([ed, { ...ed, id: "again" }]))).toBe(
      "ERR_SIGNING_DUPLICATE_KEY",
    );
  });
});

describe("weak secrets (RFC 8725 §3.5: never a password as a key)", () => {
  const weak: Array<[string, string | Uint8Array]> = [
    ["keyboard cat", "keyboard cat"],
    ['"changeme" x4', "changeme".repeat(4)],
    ['"a" x64', "a".repeat(64)],
    ["the iron-session example", "complex_password_at_least_32_characters_long"],
    ["a lowercase phrase", "correcthorsebatterystaplewhoknew"],
    [
      "a phrase as bytes",
      new TextEncoder().encode("my very long passphrase for the session cookies"),
    ],
    ["a repeated byte pattern", new Uint8Array(64).map((_, i) => (i % 4) * 90)],
    [
      "few distinct bytes",
      new Uint8Array(40).map((_, i) => [200, 201, 202, 203, 204, 205, 7][(i * 5) % 7]!),
    ],
  ];
  it.each(weak)("refuses %s by default", (_, s) => {
    expect(code(() => createKeyring([{ id: "k", secret: s }]))).toBe("ERR_SIGNING_WEAK_SECRET");
  });

  it.each(weak)("refuses %s in production even with allowWeakSecrets", (_, s) => {
    vi.stubEnv("NODE_ENV", "production");
    expect(code(() => createKeyring([{ id: "k", secret: s }], { allowWeakSecrets: true }))).toBe(
      "ERR_SIGNING_WEAK_SECRET",
    );
  });

  it("accepts a weak but long enough secret in development with a warning", () => {
    vi.stubEnv("NODE_ENV", "development");
    const keys = createKeyring([{ id: "k", secret: "a".repeat(64) }], { allowWeakSecrets: true });
    expect(keys.warnings).toHaveLength(1);
    expect(keys.warnings[0]).toMatch(/key k: weak secret/);
  });

  it("never accepts a short secret, even in development", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(
      code(() => createKeyring([{ id: "k", secret: "keyboard cat" }], { allowWeakSecrets: true })),
    ).toBe("ERR_SIGNING_INVALID_SECRET");
    expect(
      code(() =>
        createKeyring([{ id: "k", secret: new TextEncoder().encode("keyboard cat") }], {
          allowWeakSecrets: true,
        }),
      ),
    ).toBe("ERR_SIGNING_SECRET_TOO_SHORT");
  });

  it("accepts 1,000 random secrets (no false positives)", () => {
    for (let i = 0; i < 1000; i++) {
      createKeyring([{ id: "t", secret: randomToken(32) }]);
      createKeyring([{ id: "b", secret: crypto.getRandomValues(new Uint8Array(32)) }]);
      createKeyring([{ id: "a", secret: new TextEncoder().encode(randomToken(32)) }]);
    }
  });
});

describe("deriveKey (one HKDF-SHA256 subkey per purpose, RFC 5869)", () => {
  // RFC 5869 known answers.
  it.each(vectors)("noble hkdf matches $name", ({ ikm, salt, info, length, okm }) => {
    expect(
      bytesToHex(hkdf(sha256, hexToBytes(ikm), hexToBytes(salt), hexToBytes(info), length)),
    ).toBe(okm);
  });

  it("follows HKDF(secret, salt = context, info = tessera/<purpose>/v1)", () => {
    const master = crypto.getRandomValues(new Uint8Array(32));
    const keys = createKeyring([{ id: "k", secret: master }]);
    const expected = hkdf(
      sha256,
      master,
      new TextEncoder().encode("__Host-sid"),
      new TextEncoder().encode("tessera/cookie/v1"),
      32,
    );
    expect(bytesToHex(deriveKey(keys, "cookie", { context: "__Host-sid" }))).toBe(
      bytesToHex(expected),
    );
  });

  it("gives every purpose and context its own 32-byte key (64 for HS512)", () => {
    const keys = createKeyring([{ id: "k", secret: secret() }]);
    const purposes = [
      "cookie",
      "csrf",
      "seal",
      "jwt-hs256",
      "store-key",
      "store-encryption",
      "log-pepper",
      "refresh-token",
      "app:x",
    ] as const;
    const seen = new Set<string>();
    for (const p of purposes) {
      for (const context of [undefined, "a", "b"]) {
        const k = deriveKey(keys, p, { context });
        expect(k).toHaveLength(32);
        seen.add(bytesToHex(k));
      }
    }
    expect(seen.size).toBe(purposes.length * 3);
    expect(deriveKey(keys, "jwt-hs512")).toHaveLength(64);
  });

  it("derives from a named key and refuses unknown ids, purposes and contexts", () => {
    const keys = createKeyring([
      { id: "a", secret: secret() },
      { id: "b", secret: secret() },
    ]);
    expect(bytesToHex(deriveKey(keys, "seal", { kid: "b" }))).not.toBe(
      bytesToHex(deriveKey(keys, "seal")),
    );
    expect(code(() => deriveKey(keys, "seal", { kid: "zz" }))).toBe("ERR_SIGNING_NO_KEY");
    expect(code(() => deriveKey(keys, "nope" as "seal"))).toBe("ERR_SIGNING_INVALID_OPTION");
    expect(code(() => deriveKey(keys, "seal", { context: "a\u0000" }))).toBe(
      "ERR_SIGNING_INVALID_OPTION",
    );
    expect(code(() => deriveKey(keys, "seal", { context: "x".repeat(65) }))).toBe(
      "ERR_SIGNING_INVALID_OPTION",
    );
  });

  // Regression: deriveKey with context "" threw before the first derivation
  // of that purpose and returned the no-context key after it (the cache was
  // read before the context was checked).
  it('refuses context "" every time, before or after the no-context key was derived', () => {
    const keys = createKeyring([{ id: "a", secret: secret() }]);
    for (const purpose of ["csrf", "seal", "cookie"] as const) {
      expect(code(() => deriveKey(keys, purpose, { context: "" }))).toBe(
        "ERR_SIGNING_INVALID_OPTION",
      );
      deriveKey(keys, purpose);
      expect(code(() => deriveKey(keys, purpose, { context: "" }))).toBe(
        "ERR_SIGNING_INVALID_OPTION",
      );
    }
    sign("v", keys);
    expect(code(() => sign("v", keys, { context: "" }))).toBe("ERR_SIGNING_INVALID_OPTION");
    expect(code(() => unsign(sign("v", keys), keys, { context: "" }))).toBe(
      "ERR_SIGNING_INVALID_OPTION",
    );
    expect(code(() => deriveKey(keys, "csrf", { context: 5 as never }))).toBe(
      "ERR_SIGNING_INVALID_OPTION",
    );
  });

  // Raw HMAC treats K and K||0x00 as one key; derived keys do not.
  it("separates K from K||0x00 and a long K from SHA-256(K)", () => {
    const k = crypto.getRandomValues(new Uint8Array(32));
    const padded = new Uint8Array(33);
    padded.set(k);
    const long = crypto.getRandomValues(new Uint8Array(80));
    const pairs: Array<[Uint8Array, Uint8Array]> = [
      [k, padded],
      [long, sha256(long)],
    ];
    for (const [x, y] of pairs) {
      const a = createKeyring([{ id: "k", secret: x }]);
      const b = createKeyring([{ id: "k", secret: y }]);
      expect(bytesToHex(deriveKey(a, "cookie"))).not.toBe(bytesToHex(deriveKey(b, "cookie")));
      expect(unsign(sign("v", a), b)).toBeNull();
    }
  });
});
