import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { CompactSign, decodeProtectedHeader, exportSPKI, jwtVerify } from "jose";
import jsonwebtoken from "jsonwebtoken";
import { describe, expect, it, vi } from "vitest";
import { deriveKey } from "../src/derive-key.js";
import { exportJwks } from "../src/export-jwks.js";
import { exportKeyPair, generateKeyPair, importKeyPair } from "../src/key-pair.js";
import { createKeyring } from "../src/keyring.js";
import { decode, encode } from "../src/lib/b64.js";
import { randomToken } from "../src/random-token.js";
import { signJwt } from "../src/sign-jwt.js";
import { type VerifyJwtOptions, type VerifyJwtResult, verifyJwt } from "../src/verify-jwt.js";

const k1 = { id: "k1", secret: randomToken(32) };
const k2 = { id: "k2", secret: randomToken(32) };
const keys = createKeyring([k1]);
const es = await generateKeyPair("ES256", { id: "es1", extractable: true });
const ed = await generateKeyPair("EdDSA", { id: "ed1", extractable: true });
const pairs = createKeyring([es, ed]);
const now = Math.floor(Date.now() / 1000);
const HS: VerifyJwtOptions = { algorithms: ["HS256"] };
const hsKey = deriveKey(keys, "jwt-hs256");

/** A token signed with our HS256 key but any header and claims. */
function forge(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: Uint8Array = hsKey,
) {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as never)
    .sign(key);
}
const good = { sub: "u1", iat: now, exp: now + 600 };

/** The HS256 MAC of a signing input under our key, for tokens whose parts are not JSON. */
const macOf = (signingInput: string) =>
  encode(hmac(sha256, hsKey, new TextEncoder().encode(signingInput)));

describe("signJwt / verifyJwt", () => {
  const verify = verifyJwt;
  const reason = async (token: string, options: VerifyJwtOptions = HS, ring = keys) => {
    const result = await verify(token, ring, options);
    return result.ok ? "ok" : result.reason;
  };

  it.each(["HS256", "HS512"] as const)(
    "round-trips %s with kid, typ, iat, exp, iss, aud",
    async (alg) => {
      const token = await signJwt({ scope: "read" }, keys, {
        alg,
        expiresIn: 600,
        typ: "access+jwt",
        issuer: "iss",
        audience: "api",
        subject: "u1",
        jwtId: "j1",
      });
      const result = await verify(token, keys, {
        algorithms: [alg],
        typ: "access+jwt",
        issuer: "iss",
        audience: "api",
        subject: "u1",
      });
      expect(result).toMatchObject({
        ok: true,
        header: { alg, kid: "k1", typ: "access+jwt" },
        payload: { scope: "read", sub: "u1", iss: "iss", aud: "api", jti: "j1" },
        needsReissue: false,
      });
    },
  );

  it.each(["EdDSA", "ES256"] as const)(
    "round-trips %s and publishes the public key",
    async (alg) => {
      const token = await signJwt({ sub: "u1" }, pairs, { alg, expiresIn: 600 });
      expect(await verify(token, pairs, { algorithms: ["EdDSA", "ES256"] })).toMatchObject({
        ok: true,
        header: { alg },
      });
      const jwks = await exportJwks(pairs);
      expect(jwks.keys.map((k) => k.kid)).toEqual(["es1", "ed1"]);
      expect(JSON.stringify(jwks)).not.toContain('"d"');
      const remote = await verify(token, null, {
        algorithms: ["EdDSA", "ES256"],
        jwks: (await import("jose")).createLocalJWKSet(jwks),
      });
      expect(remote.ok).toBe(true);
    },
  );

  it("rotates HMAC keys with needsReissue", async () => {
    const old = await signJwt({}, keys, { alg: "HS256", expiresIn: 600 });
    expect(await verify(old, createKeyring([k2, k1]), HS)).toMatchObject({
      ok: true,
      needsReissue: true,
    });
    expect(await reason(old, HS, createKeyring([k2]))).toBe("unknown_key");
  });

  // `none` is refused in every spelling (RFC 8725 §3.1).
  it.each(["none", "None", "NONE", "nOnE"])("refuses alg %s", async (alg) => {
    const h = encode(new TextEncoder().encode(JSON.stringify({ alg, kid: "k1", typ: "JWT" })));
    const p = encode(
      new TextEncoder().encode(JSON.stringify({ sub: "admin", iat: now, exp: now + 600 })),
    );
    // With an empty signature the format check refuses first; with any signature the allow-list does.
    expect(await reason(`${h}.${p}.`)).toBe("malformed");
    expect(await reason(`${h}.${p}.AAAA`)).toBe("algorithm_not_allowed");
  });

  it("refuses HS512 when only HS256 is allowed, and mixed families at construction", async () => {
    const token = await signJwt({}, keys, { alg: "HS512", expiresIn: 600 });
    expect(await reason(token)).toBe("algorithm_not_allowed");
    for (const algorithms of [[], ["HS256", "ES256"], ["none"], ["RS256"], undefined]) {
      await expect(verify(token, keys, { algorithms } as never)).rejects.toThrow(
        /option algorithms/,
      );
    }
  });

  // Algorithm confusion: a public key is never an HMAC secret (CVE-2015-9235).
  it("refuses an HS256 token keyed with the EC public key PEM", async () => {
    const pem = (await exportKeyPair(es, "pem")).publicKey;
    const token = await forge(
      { alg: "HS256", kid: "es1", typ: "JWT" },
      good,
      new TextEncoder().encode(pem),
    );
    expect(await reason(token, { algorithms: ["ES256"] }, pairs)).toBe("algorithm_not_allowed");
    expect(await reason(token, HS, pairs)).toBe("key_mismatch");
    expect(
      await reason(
        await forge({ alg: "ES256", kid: "k1", typ: "JWT" }, good).catch(() => "x.y.z"),
        { algorithms: ["ES256"] },
      ),
    ).not.toBe("ok");
  });

  // Key material is never taken from the token (RFC 8725 §3.10).
  it.each(["jwk", "jku", "x5u", "x5c"])("refuses a %s header without fetching", async (name) => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const token = await forge(
      {
        alg: "HS256",
        kid: "k1",
        typ: "JWT",
        [name]:
          name === "jwk"
            ? { kty: "oct", k: "AAAA" }
            : name === "x5c"
              ? ["AAAA"]
              : "https://attacker.example/jwks",
      },
      good,
    );
    expect(await reason(token)).toBe("forbidden_header");
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  // `kid` is only a lookup key into the local keyring.
  it.each(["' OR '1'='1", "../../dev/null", "a".repeat(5000), "\u0000", "k9"])(
    "treats kid %j as unknown",
    async (kid) => {
      expect(await reason(await forge({ alg: "HS256", kid, typ: "JWT" }, good))).toBe(
        "unknown_key",
      );
    },
  );

  it("needs a kid and a key of the token's kind", async () => {
    expect(await reason(await forge({ alg: "HS256", typ: "JWT" }, good))).toBe("missing_kid");
    expect(
      await reason(await forge({ alg: "HS256", kid: "k1", typ: "JWT" }, good), HS, pairs),
    ).toBe("unknown_key");
  });

  // `crit` (RFC 7515 §4.1.11).
  it("refuses unknown crit, empty crit and b64:false", async () => {
    const raw = (header: Record<string, unknown>) => {
      const h = encode(new TextEncoder().encode(JSON.stringify(header)));
      const p = encode(new TextEncoder().encode(JSON.stringify(good)));
      return `${h}.${p}.${"A".repeat(43)}`;
    };
    expect(
      await reason(
        raw({ alg: "HS256", kid: "k1", typ: "JWT", crit: ["x-unknown"], "x-unknown": 1 }),
      ),
    ).toBe("unsupported");
    expect(await reason(raw({ alg: "HS256", kid: "k1", typ: "JWT", crit: [] }))).toBe("malformed");
    expect(
      await reason(raw({ alg: "HS256", kid: "k1", typ: "JWT", b64: false, crit: ["b64"] })),
    ).not.toBe("ok");
  });

  // Regression: JWS headers with `zip`, or `b64` without `crit`, were
  // accepted. `zip` belongs to JWE only (RFC 7516 §4.1.3) and a JWS must list
  // `b64` in `crit` to use it (RFC 7797 §6).
  it("refuses zip and b64 not listed in crit", async () => {
    for (const extra of [{ zip: "DEF" }, { zip: "" }, { b64: false }, { b64: true }] as Record<
      string,
      unknown
    >[]) {
      const token = await forge({ alg: "HS256", kid: "k1", typ: "JWT", ...extra }, good);
      expect(await reason(token), JSON.stringify(extra)).toBe("unsupported");
    }
    expect(await reason(await forge({ alg: "HS256", kid: "k1", typ: "JWT" }, good))).toBe("ok");
  });

  // Regression: verifyJwt checked an options object once and cached the
  // result, so changing its audience or issuer afterwards was ignored.
  it("reads audience, issuer and the other options on every call", async () => {
    const token = await signJwt({}, keys, {
      alg: "HS256",
      expiresIn: 600,
      audience: "a",
      issuer: "i",
    });
    const options: VerifyJwtOptions = {
      ...HS,
      audience: "a",
      issuer: "i",
    };
    expect(await reason(token, options)).toBe("ok");
    options.audience = "b";
    expect(await reason(token, options)).toBe("audience");
    options.audience = "a";
    options.issuer = "j";
    expect(await reason(token, options)).toBe("issuer");
    options.issuer = "i";
    options.typ = "other+jwt";
    expect(await reason(token, options)).toBe("type");
    options.typ = undefined;
    options.algorithms = ["HS512"];
    expect(await reason(token, options)).toBe("algorithm_not_allowed");
    options.algorithms = ["HS256", "ES256"] as never;
    await expect(reason(token, options)).rejects.toThrow(/algorithms/);
  });

  // Explicit typing (RFC 8725 §3.11).
  it("checks typ exactly, with the application/ prefix rule", async () => {
    const opts = { ...HS, typ: "session+jwt" };
    expect(await reason(await forge({ alg: "HS256", kid: "k1", typ: "at+jwt" }, good), opts)).toBe(
      "type",
    );
    expect(await reason(await forge({ alg: "HS256", kid: "k1" }, good), opts)).toBe("type");
    expect(
      await reason(
        await forge({ alg: "HS256", kid: "k1", typ: "application/session+jwt" }, good),
        opts,
      ),
    ).toBe("ok");
    // A refresh-kind token: own context (key) and own typ.
    const refresh = await signJwt({}, keys, {
      alg: "HS256",
      expiresIn: 600,
      typ: "refresh+jwt",
      context: "refresh",
    });
    expect(await reason(refresh, { ...HS, typ: "refresh+jwt" })).toBe("bad_signature");
    expect(await reason(refresh, { ...HS, typ: "refresh+jwt", context: "refresh" })).toBe("ok");
  });

  // exp and iat are required; future iat is refused (RFC 7519 §4.1.4-4.1.6).
  it("applies time rules with a 30 s default tolerance", async () => {
    const at = (claims: Record<string, unknown>, options: Partial<VerifyJwtOptions> = {}) =>
      forge({ alg: "HS256", kid: "k1", typ: "JWT" }, claims).then((t) =>
        reason(t, { ...HS, now: now * 1000, ...options }),
      );
    expect(await at({ iat: now - 100, exp: now - 31 })).toBe("expired");
    expect(await at({ iat: now - 100, exp: now - 29 })).toBe("ok");
    expect(await at({ iat: now, exp: now + 600, nbf: now + 300 })).toBe("not_yet_valid");
    expect(await at({ iat: now + 3600, exp: now + 7200 })).toBe("issued_in_future");
    expect(await at({ iat: now - 3600 - 31, exp: now + 600 }, { maxTokenAge: 3600 })).toBe(
      "too_old",
    );
    expect(await at({ iat: now })).toBe("missing_claim");
    expect(await at({ exp: now + 600 })).toBe("missing_claim");
    expect(await at({ iat: now }, { requireExp: false })).toBe("ok");
    await expect(verify("a.b.c", keys, { ...HS, clockTolerance: 301 })).rejects.toThrow(
      /option clockTolerance/,
    );
  });

  // A NumericDate must be a finite number.
  it.each(['"1700000000"', "1e309", "1.5e308", "-1", "true", "null", '"x"'])(
    "refuses exp %s",
    async (exp) => {
      const h = encode(
        new TextEncoder().encode(JSON.stringify({ alg: "HS256", kid: "k1", typ: "JWT" })),
      );
      const p = encode(new TextEncoder().encode(`{"iat":${now},"exp":${exp}}`));
      expect(await reason(`${h}.${p}.${macOf(`${h}.${p}`)}`)).not.toBe("ok");
    },
  );

  // aud and iss against allow-lists (RFC 8725 §3.8, §3.9).
  it("checks audience and issuer", async () => {
    const t = (claims: Record<string, unknown>) =>
      forge({ alg: "HS256", kid: "k1", typ: "JWT" }, { ...good, ...claims });
    const opts = { ...HS, audience: "svc", issuer: "https://auth.example" };
    expect(await reason(await t({ aud: "other", iss: "https://auth.example" }), opts)).toBe(
      "audience",
    );
    expect(await reason(await t({ iss: "https://auth.example" }), opts)).toBe("missing_claim");
    expect(await reason(await t({ aud: ["x", "svc"], iss: "https://auth.example" }), opts)).toBe(
      "ok",
    );
    expect(await reason(await t({ aud: [], iss: "https://auth.example" }), opts)).toBe("audience");
    expect(await reason(await t({ aud: "svc", iss: "evil" }), opts)).toBe("issuer");
  });

  // Compact form only, size-capped, checked before decoding
  // (draft-ietf-oauth-rfc8725bis, "Check JWT Format Type").
  it("pre-checks the format and size before decoding", async () => {
    const token = await signJwt({}, keys, { alg: "HS256", expiresIn: 600 });
    const [h, p, s] = token.split(".");
    const bad = [
      "",
      "a.b",
      "a.b.c.d",
      `${token}.`,
      `.${token}`,
      `${h}..${s}`,
      `${token} `,
      `${token}\n`,
      `${token}=`,
      `${h}.${p}.${s!.replace(/.$/, "+")}`,
      `{"protected":"${h}","payload":"${p}","signature":"${s}"}`,
      "a.b.c.d.e",
    ];
    for (const b of bad) expect(await reason(b)).toBe("malformed");
    expect(await reason("a".repeat(8193))).toBe("too_large");
    expect(await reason(`${h}.${p}.${"A".repeat(1 << 20)}`)).toBe("too_large");
    expect(await reason(token)).toBe("ok");
    // A signature with flipped unused bits is refused (jose alone accepts it): one spelling per token.
    const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const v = last.indexOf(s!.at(-1)!);
    expect(await reason(`${h}.${p}.${s!.slice(0, -1)}${last[v ^ 1]}`)).toBe("malformed");
  });

  it("refuses non-object claims, invalid UTF-8 and a duplicate alg", async () => {
    for (const payload of ["[]", '"str"', "null", "123"]) {
      const h = encode(
        new TextEncoder().encode(JSON.stringify({ alg: "HS256", kid: "k1", typ: "JWT" })),
      );
      const p = encode(new TextEncoder().encode(payload));
      expect(await reason(`${h}.${p}.${macOf(`${h}.${p}`)}`)).toBe("malformed");
    }
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`{"sub":"`),
      0xff,
      0xfe,
      ...new TextEncoder().encode(`","iat":${now},"exp":${now + 600}}`),
    ]);
    const h = encode(
      new TextEncoder().encode(JSON.stringify({ alg: "HS256", kid: "k1", typ: "JWT" })),
    );
    const input = `${h}.${encode(bytes)}`;
    expect(await reason(`${input}.${macOf(input)}`)).toBe("malformed");
    const dup = encode(
      new TextEncoder().encode('{"alg":"HS256","kid":"k1","typ":"JWT","alg":"none"}'),
    );
    expect(
      await reason(`${dup}.${encode(new TextEncoder().encode(JSON.stringify(good)))}.AAAA`),
    ).toBe("algorithm_not_allowed");
  });

  it("refuses a bit flip in any segment", async () => {
    const token = await signJwt({ sub: "u1" }, keys, { alg: "HS256", expiresIn: 600 });
    const parts = token.split(".");
    for (let seg = 0; seg < 3; seg++) {
      const bytes = decode(parts[seg]!)!;
      for (const i of [0, bytes.length >> 1, bytes.length - 1]) {
        const copy = bytes.slice();
        copy[i]! ^= 4;
        const next = [...parts];
        next[seg] = encode(copy);
        expect(await reason(next.join("."))).not.toBe("ok");
      }
    }
  });

  it("swapped alg and kid never verify", async () => {
    const token = await signJwt({}, keys, { alg: "HS256", expiresIn: 600 });
    const [h, p, s] = token.split(".");
    const header = JSON.parse(new TextDecoder().decode(decode(h!)!));
    for (const change of [{ alg: "HS512" }, { kid: "k2" }, { alg: "ES256", kid: "es1" }]) {
      const nh = encode(new TextEncoder().encode(JSON.stringify({ ...header, ...change })));
      expect(
        await reason(
          `${nh}.${p}.${s}`,
          { algorithms: ["HS256", "HS512"] },
          createKeyring([k1, k2]),
        ),
      ).not.toBe("ok");
    }
  });
});

// verifyJwt is jose's jwtVerify under this package's policy. Random headers,
// claims (with wrong types, out-of-range and edge times), options and clocks:
// verifyJwt never accepts a token that jose alone, given the same rules,
// refuses; it accepts with jose's payload; and where it refuses a token jose
// accepts, the reason is one of the package's own stricter rules.
describe("verifyJwt against jose's jwtVerify (differential)", () => {
  const text = (value: string) => new TextEncoder().encode(value);
  const t0 = 1_800_000_000;
  // Biased towards tokens that reach the claims checks (a valid signature,
  // matching typ, times near the clock and the tolerance edges), with junk
  // mixed in at every level.
  const time = fc.oneof(
    // Around the clock edges: tolerance (0, 1, 30, 300) and maxTokenAge (1, 60, 3600) ± 1 s.
    {
      weight: 12,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            0,
            1,
            2,
            29,
            30,
            31,
            59,
            60,
            61,
            90,
            299,
            300,
            301,
            3600,
            3601,
            3630,
            3631,
            3900,
          ),
          fc.constantFrom(1, -1),
        )
        .map(([d, sign]) => String(t0 + d * sign)),
    },
    { weight: 3, arbitrary: fc.integer({ min: -8000, max: 8000 }).map((d) => String(t0 + d)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "1e309",
        "-1e309",
        "1.5e308",
        "-1",
        "0",
        `${t0}.5`,
        `"${t0}"`,
        "null",
        "true",
        "[]",
        "{}",
      ),
    },
  );
  const str = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('"a"', '"b"', '"x"', '"y"', '"u1"') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('""', "1", "null", '["a"]', '["x","y"]', "[]", '[1,"x"]', '["q"]'),
    },
  );
  // `arb` with probability `percent`, else undefined (absent).
  const maybe = <T>(arb: fc.Arbitrary<T>, percent: number) =>
    fc.oneof(
      { weight: percent, arbitrary: arb },
      { weight: 100 - percent, arbitrary: fc.constant(undefined) },
    );
  const claim = (name: string, value: fc.Arbitrary<string>, percent: number) =>
    maybe(
      value.map((v) => `"${name}":${v}`),
      percent,
    );
  const payload = fc.oneof(
    {
      weight: 30,
      arbitrary: fc
        .tuple(
          claim("iat", time, 92),
          claim("exp", time, 85),
          claim("nbf", time, 25),
          claim("iss", str, 50),
          claim("sub", str, 50),
          claim("aud", str, 50),
          claim("jti", str, 50),
        )
        .map((parts) => `{${parts.filter((part) => part !== undefined).join(",")}}`),
    },
    { weight: 1, arbitrary: fc.constantFrom("[]", "null", "1", '"s"', "{", '{"a":1,}') },
  );
  const header = fc.record({
    alg: fc.oneof({ weight: 12, arbitrary: fc.constant("HS256") }, fc.constant("HS512")),
    kid: fc.constantFrom("k1", "k1", "k2"),
    typ: maybe(
      fc.oneof(
        { weight: 8, arbitrary: fc.constant("JWT") },
        fc.constantFrom(
          "jwt",
          "application/jwt",
          "Application/JWT",
          "at+jwt",
          "application/at+JWT",
          "x/y",
        ),
      ),
      88,
    ),
    crit: maybe(fc.constantFrom(["b64"], ["x-unknown"]), 5),
    b64: maybe(fc.boolean(), 10),
  });
  const options = fc.record({
    algorithms: fc.constantFrom(["HS256"], ["HS256", "HS512"]),
    typ: maybe(fc.constantFrom("JWT", "JWT", "JWT", "at+jwt", "AT+JWT"), 50),
    issuer: maybe(fc.constantFrom("a", ["a", "b"], ""), 20),
    audience: maybe(fc.constantFrom("x", ["x", "y"], ["q"]), 20),
    subject: maybe(fc.constantFrom("u1", ""), 20),
    maxTokenAge: maybe(fc.constantFrom(1, 60, 3600), 33),
    clockTolerance: maybe(fc.constantFrom(0, 1, 30, 300), 50),
    requireExp: maybe(fc.boolean(), 33),
    requiredClaims: maybe(fc.constantFrom(["jti"], ["sub", "aud"], []), 25),
    now: fc.integer({ min: -2, max: 2 }).map((d) => (t0 + d) * 1000 + 999),
  });
  const ring = createKeyring([k1, k2]);
  const macKeys: Record<string, Uint8Array> = {
    HS256k1: deriveKey(ring, "jwt-hs256", { kid: "k1" }),
    HS256k2: deriveKey(ring, "jwt-hs256", { kid: "k2" }),
    HS512k1: deriveKey(ring, "jwt-hs512", { kid: "k1" }),
    HS512k2: deriveKey(ring, "jwt-hs512", { kid: "k2" }),
  };

  /** jose's own verdict with the key named by the header and the same claim rules. */
  async function joseAlone(token: string, opts: VerifyJwtOptions) {
    let key: Uint8Array | undefined;
    try {
      const h = decodeProtectedHeader(token);
      key = macKeys[`${h.alg}${h.kid}`];
    } catch {
      return undefined;
    }
    if (key === undefined) return undefined;
    const required = opts.requireExp === false ? ["iat"] : ["exp", "iat"];
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [...opts.algorithms],
        typ: opts.typ ?? "JWT",
        clockTolerance: opts.clockTolerance ?? 30,
        maxTokenAge: opts.maxTokenAge ?? 315_360_000,
        requiredClaims: [...required, ...(opts.requiredClaims ?? [])],
        ...(opts.issuer === undefined ? {} : { issuer: opts.issuer as string | string[] }),
        ...(opts.audience === undefined ? {} : { audience: opts.audience as string | string[] }),
        ...(opts.subject === undefined ? {} : { subject: opts.subject }),
        currentDate: new Date(Math.floor(opts.now! / 1000) * 1000),
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  async function agrees(token: string, opts: VerifyJwtOptions, ours: VerifyJwtResult) {
    const theirs = await joseAlone(token, opts);
    if (ours.ok) expect(ours.payload).toEqual(theirs);
    else if (theirs !== undefined) {
      // Stricter than jose: `b64` outside `crit`, NumericDates beyond 9999 or non-finite.
      expect(["unsupported", "invalid_claim"]).toContain(ours.reason);
    }
  }

  it("follows jose's verdict for every token, options object and clock", async () => {
    await fc.assert(
      fc.asyncProperty(
        header,
        payload,
        options,
        fc
          .nat(14)
          .map((n) => (n < 12 ? "valid" : (["flipped", "short", "other-key"] as const)[n - 12]!)),
        async (h, p, o, signature) => {
          const head = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined));
          const input = `${encode(text(JSON.stringify(head)))}.${encode(text(p))}`;
          const macKey =
            signature === "other-key" ? new Uint8Array(32).fill(1) : macKeys[h.alg + h.kid]!;
          const mac = hmac(h.alg === "HS256" ? sha256 : sha512, macKey, text(input));
          if (signature === "flipped") mac[mac.length >> 1]! ^= 1;
          const token = `${input}.${encode(signature === "short" ? mac.slice(1) : mac)}`;
          const opts = Object.fromEntries(
            Object.entries(o).filter(([, v]) => v !== undefined),
          ) as unknown as VerifyJwtOptions;
          await agrees(token, opts, await verifyJwt(token, ring, opts));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("agrees at every clock edge (exp, nbf, iat, maxTokenAge, tolerance)", async () => {
    const edge = fc
      .tuple(fc.constantFrom(0, 1, 29, 30, 31, 60, 61, 90, 91, 300, 301, 3630, 3631), fc.boolean())
      .map(([d, past]) => t0 + (past ? -d : d));
    await fc.assert(
      fc.asyncProperty(
        edge,
        fc.option(edge, { nil: undefined }),
        fc.option(edge, { nil: undefined }),
        fc.option(fc.constantFrom(1, 60, 3600), { nil: undefined }),
        fc.option(fc.constantFrom(0, 1, 30, 300), { nil: undefined }),
        async (iat, exp, nbf, maxTokenAge, clockTolerance) => {
          const claims = JSON.stringify({ iat, exp, nbf });
          const input = `${encode(text('{"alg":"HS256","kid":"k1","typ":"JWT"}'))}.${encode(text(claims))}`;
          const token = `${input}.${encode(hmac(sha256, macKeys.HS256k1!, text(input)))}`;
          const opts: VerifyJwtOptions = {
            algorithms: ["HS256"],
            requireExp: exp !== undefined,
            now: t0 * 1000 + 500,
            ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
            ...(clockTolerance === undefined ? {} : { clockTolerance }),
          };
          await agrees(token, opts, await verifyJwt(token, ring, opts));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("agrees on tokens signed by signJwt with claims options", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7200 }),
        fc.integer({ min: -8000, max: 8000 }),
        fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
        fc.option(fc.constantFrom("api", ["api", "web"]), { nil: undefined }),
        async (expiresIn, skew, notBefore, audience) => {
          const at = t0 * 1000;
          const token = await signJwt({ scope: "read" }, ring, {
            alg: "HS256",
            expiresIn,
            now: at,
            ...(notBefore === undefined ? {} : { notBefore }),
            ...(audience === undefined ? {} : { audience }),
          });
          const opts: VerifyJwtOptions = {
            algorithms: ["HS256"],
            audience: "api",
            maxTokenAge: 3600,
            now: at + skew * 1000,
          };
          await agrees(token, opts, await verifyJwt(token, ring, opts));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("interop with jsonwebtoken", () => {
  it("our HS256 verifies with jsonwebtoken and its tokens verify with ours", async () => {
    const ours = await signJwt({ sub: "u1" }, keys, { alg: "HS256", expiresIn: 600 });
    const secret = Buffer.from(deriveKey(keys, "jwt-hs256"));
    expect(jsonwebtoken.verify(ours, secret, { algorithms: ["HS256"] })).toMatchObject({
      sub: "u1",
    });
    const theirs = jsonwebtoken.sign({ sub: "u2" }, secret, {
      algorithm: "HS256",
      expiresIn: 600,
      keyid: "k1",
    });
    expect(await verifyJwt(theirs, keys, HS)).toMatchObject({ ok: true, payload: { sub: "u2" } });
  });

  it("our ES256 verifies with jsonwebtoken and its tokens verify with ours", async () => {
    const { privateKey, publicKey } = await exportKeyPair(es, "pem");
    const ours = await signJwt({ sub: "u1" }, pairs, { alg: "ES256", expiresIn: 600 });
    expect(jsonwebtoken.verify(ours, publicKey, { algorithms: ["ES256"] })).toMatchObject({
      sub: "u1",
    });
    const theirs = jsonwebtoken.sign({ sub: "u2" }, privateKey!, {
      algorithm: "ES256",
      expiresIn: 600,
      keyid: "es1",
    });
    expect(await verifyJwt(theirs, pairs, { algorithms: ["ES256"] })).toMatchObject({
      ok: true,
      payload: { sub: "u2" },
    });
  });
});

describe("key pairs", () => {
  it.each(["EdDSA", "ES256"] as const)("export and import %s as PEM and JWK", async (alg) => {
    const pair = alg === "EdDSA" ? ed : es;
    for (const format of ["pem", "jwk"] as const) {
      const out = await exportKeyPair(pair, format);
      const back = await importKeyPair({ id: "x", alg, privateKey: out.privateKey! });
      const token = await signJwt({}, createKeyring([back]), { alg, expiresIn: 60 });
      expect(
        await verifyJwt(token, createKeyring([{ ...pair, id: "x" }]), { algorithms: [alg] }),
      ).toMatchObject({ ok: true });
      const verifyOnly = await importKeyPair({ id: "x", alg, publicKey: out.publicKey });
      expect(verifyOnly.privateKey).toBeUndefined();
      expect(
        await verifyJwt(token, createKeyring([verifyOnly]), { algorithms: [alg] }),
      ).toMatchObject({ ok: true });
      await expect(
        signJwt({}, createKeyring([verifyOnly]), { alg, expiresIn: 60 }),
      ).rejects.toThrow(/no private key/);
    }
    expect(await exportSPKI(pair.publicKey)).toContain("BEGIN PUBLIC KEY");
  });

  it("keeps private keys non-extractable by default and refuses junk", async () => {
    const pair = await generateKeyPair("EdDSA", { id: "n" });
    expect((await exportKeyPair(pair, "jwk")).privateKey).toBeUndefined();
    await expect(
      importKeyPair({
        id: "x",
        alg: "ES256",
        privateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
      }),
    ).rejects.toThrow(/cannot import/);
    await expect(
      importKeyPair({ id: "x", alg: "RS256" as "ES256", publicKey: "x" }),
    ).rejects.toThrow(/alg/);
    await expect(generateKeyPair("EdDSA", { id: "bad id" })).rejects.toThrow(/key id/);
  });
});
