import { describe, expect, it } from "vitest";
import type { JwtAlgorithm, KeyPurpose, SignOptions } from "../src/index.js";
import { bothSources } from "./sources.js";
import golden from "./vectors/golden.json";

// Values issued by earlier builds must keep verifying after any change of the
// code underneath: users' cookies, sealed sessions and tokens outlive a deploy.
// golden.json was written once by scripts/golden-vectors.mjs from the build
// that still ran its own SHA-256, HMAC and JWE code, and is never regenerated.
const now = golden.now + 60_000; // one minute after the vectors were made
const primary = golden.keys[0]!.id;

describe.each(await bothSources())(
  "golden vectors from earlier builds, on $name",
  ({ signing }) => {
    const {
      createKeyring,
      deriveKey,
      hashToken,
      importKeyPair,
      openSealed,
      sign,
      signJwt,
      unsignLegacy,
      verifyJwt,
      verifySigned,
    } = signing;
    const keys = createKeyring(golden.keys);

    it.each(golden.signed)("signed value $value ($kid, $options)", (entry) => {
      const options = entry.options as SignOptions;
      const result = verifySigned(entry.signed, keys, options);
      expect(result).toEqual({
        ok: true,
        value: entry.value,
        kid: entry.kid,
        needsReissue: entry.kid !== primary,
      });
      // Signing is deterministic: the primary reproduces its own values exactly.
      if (entry.kid === primary) expect(sign(entry.value, keys, options)).toBe(entry.signed);
    });

    it.each(golden.hashes)("hashToken $token", ({ token, base64url, hex }) => {
      expect(hashToken(token)).toBe(base64url);
      expect(hashToken(token, { encoding: "hex" })).toBe(hex);
    });

    it.each(golden.derived)("deriveKey $purpose ($kid, $context)", (entry) => {
      const bytes = deriveKey(keys, entry.purpose as KeyPurpose, {
        context: entry.context,
        kid: entry.kid,
      });
      expect(Buffer.from(bytes).toString("hex")).toBe(entry.hex);
    });

    it.each(golden.sealed)("sealed $payload ($kid, $options)", async (entry) => {
      const result = await openSealed(entry.token, keys, { ...entry.options, now });
      expect(result).toEqual({
        ok: true,
        payload: entry.payload,
        iat: golden.now / 1000,
        exp: golden.now / 1000 + 3600,
        kid: entry.kid,
        needsReissue: entry.kid !== primary,
      });
    });

    it("JWTs of every algorithm verify, and the deterministic ones are reproduced", async () => {
      const ed = await importKeyPair({ ...golden.pairs.ed, alg: "EdDSA" });
      const es = await importKeyPair({ ...golden.pairs.es, alg: "ES256" });
      const ring = createKeyring([...golden.keys, ed, es]);
      expect(golden.jwts).toHaveLength(8);
      for (const entry of golden.jwts) {
        const alg = entry.alg as JwtAlgorithm;
        const { typ, issuer, audience, context } = entry.options as {
          typ?: string;
          issuer?: string;
          audience?: string;
          context?: string;
        };
        const result = await verifyJwt(entry.token, ring, {
          algorithms: [alg],
          typ,
          issuer,
          audience,
          context,
          now,
        });
        expect(result.ok, `${alg} ${entry.token}`).toBe(true);
        if (result.ok) expect(result.payload).toMatchObject(entry.claims);
        // ECDSA signatures are randomized; HMAC and Ed25519 ones are not.
        if (alg !== "ES256") {
          const again = await signJwt(entry.claims, ring, {
            alg,
            expiresIn: 600,
            now: golden.now,
            ...entry.options,
          });
          expect(again).toBe(entry.token);
        }
      }
    });

    it.each(golden.legacy)("express-session cookie under $secret", ({ secret, value, cookie }) => {
      expect(unsignLegacy(cookie, [secret])).toBe(value);
      expect(unsignLegacy(encodeURIComponent(cookie), ["other secret", secret])).toBe(value);
    });
  },
);
