import { createSessions } from "@tessera/session";
import {
  createKeyring,
  deriveKey,
  encodeBase64Url,
  exportKeyPair,
  generateKeyPair,
  hashToken,
  importKeyPair,
  type KeyPurpose,
  randomToken,
  seal,
  sign,
  signJwt,
  unseal,
  unsign,
  verifyJwt,
} from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { createTokens } from "@tessera/tokens";
import { deepEqual, equal, ok, type Suite } from "./harness.js";
import { cookieHeader } from "./suite/session.js";
import { vectorKeyrings } from "./suite/signing.js";
import { TOKENS_AUDIENCE, TOKENS_ISSUER } from "./suite/tokens.js";
import type { Outputs, Vectors } from "./types.js";

const SEALED_PAYLOADS = [
  { userId: "u_42", roles: ["admin"], note: "caf\u00e9 \u{1F36A}" },
  { cart: Array.from({ length: 50 }, (_, i) => i) },
];
const STATELESS_DATA = { visits: 3, theme: "dark", note: "\u4e2d\u6587" };

/**
 * Deterministic values beyond the vectors' own cases (other purposes, long
 * inputs, signed hashes, a CSRF-style MAC): every runtime computes the same
 * map and the verify phase compares them byte for byte.
 */
async function deterministic(v: Vectors): Promise<Record<string, string>> {
  const { keys, pairs } = await vectorKeyrings(v);
  const out: Record<string, string> = {};
  const purposes: KeyPurpose[] = [
    "cookie",
    "csrf",
    "seal",
    "jwt-hs256",
    "jwt-hs512",
    "store-key",
    "store-encryption",
    "log-pepper",
    "refresh-token",
    "app:x",
  ];
  for (const kid of v.keyring.map((k) => k.id)) {
    for (const purpose of purposes) {
      for (const context of [undefined, "__Host-sid", "~!@#$%^&*()_+{}|:<>?"]) {
        out[`hkdf ${kid} ${purpose} ${context ?? "-"}`] = encodeBase64Url(
          deriveKey(keys, purpose, { kid, ...(context === undefined ? {} : { context }) }),
        );
      }
    }
  }
  const long = "\u00e9\u{1F600}x".repeat(5000);
  out["hashToken long"] = hashToken(long);
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
    const value = "a".repeat(n);
    out[`sign len ${n}`] = sign(value, keys, { context: "__Host-sid" });
    out[`hashToken len ${n}`] = hashToken(value, { encoding: "hex" });
  }
  out["sign hash"] = sign(hashToken("session-token"), keys, { purpose: "csrf", context: "c" });
  for (const alg of ["HS256", "HS512", "EdDSA"] as const) {
    out[`jwt ${alg}`] = await signJwt(
      { sub: "det", nested: { a: [1, "\u00e9"] } },
      alg === "EdDSA" ? pairs : keys,
      { alg, expiresIn: 3600, typ: "JWT", audience: ["a", "b"], now: v.now },
    );
  }
  return out;
}

/** The first phase's artifacts, made on this runtime for every other one to check. */
export async function produceOutputs(v: Vectors, runtime: string): Promise<Outputs> {
  const { keys, pairs } = await vectorKeyrings(v);
  const sealed = [];
  for (const [i, payload] of SEALED_PAYLOADS.entries()) {
    const context = i === 0 ? "__Host-sess" : undefined;
    const token = await seal(payload, keys, {
      expiresIn: 600,
      ...(context === undefined ? {} : { context }),
    });
    sealed.push({ payload, ...(context === undefined ? {} : { context }), token });
  }
  const es256Jwt = await signJwt({ sub: runtime }, pairs, {
    alg: "ES256",
    expiresIn: 600,
    audience: "cross",
  });
  const fresh = await generateKeyPair("ES256", { id: `fresh-${runtime}` });
  const exported = await exportKeyPair(fresh, "jwk");
  const freshToken = await signJwt({ sub: runtime }, createKeyring([fresh]), {
    alg: "ES256",
    expiresIn: 600,
  });
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const tokens = createTokens({ keys, store, issuer: TOKENS_ISSUER, audience: TOKENS_AUDIENCE });
  const accessToken = (await tokens.issue(`user-of-${runtime}`)).accessToken;
  await store.close();
  const sessions = createSessions<typeof STATELESS_DATA>({ keys });
  const session = await sessions.load(null);
  for (const [k, value] of Object.entries(STATELESS_DATA)) {
    session.set(k as keyof typeof STATELESS_DATA, value as never);
  }
  const { header } = cookieHeader(await sessions.commit(session));
  const value = randomToken();
  return {
    runtime,
    deterministic: await deterministic(v),
    sealed,
    es256Jwt,
    freshKey: { kid: fresh.id, publicJwk: exported.publicKey, token: freshToken },
    accessToken,
    statelessCookie: { header, data: STATELESS_DATA },
    signedRandom: { value, signed: sign(value, keys, { context: "__Host-sid" }) },
  };
}

/** The second phase: this runtime checks every other runtime's artifacts. */
export async function crossTests(
  suite: Suite,
  v: Vectors,
  runtime: string,
  peers: Outputs[],
): Promise<void> {
  const own = await deterministic(v);
  for (const peer of peers) {
    if (peer.runtime === runtime) continue;
    const tag = `cross ${peer.runtime} -> ${runtime}`;

    suite.test(`${tag}: deterministic outputs byte-identical`, () => {
      const keys = Object.keys(own);
      equal(Object.keys(peer.deterministic).length, keys.length, "number of values");
      for (const key of keys) equal(peer.deterministic[key], own[key], key);
    });

    suite.test(`${tag}: sealed tokens unseal`, async () => {
      const keys = createKeyring(v.keyring);
      ok(peer.sealed.length > 0, "tokens");
      for (const c of peer.sealed) {
        const options = c.context === undefined ? {} : { context: c.context };
        deepEqual(await unseal(c.token, keys, options), c.payload, "payload");
      }
    });

    suite.test(`${tag}: signed value unsigns`, () => {
      const keys = createKeyring(v.keyring);
      equal(
        unsign(peer.signedRandom.signed, keys, { context: "__Host-sid" }),
        peer.signedRandom.value,
      );
    });

    suite.test(`${tag}: ES256 JWTs verify (vector key and a key made there)`, async () => {
      const { pairs } = await vectorKeyrings(v);
      const seen = await verifyJwt(peer.es256Jwt, pairs, {
        algorithms: ["ES256"],
        audience: "cross",
      });
      ok(seen.ok && seen.payload.sub === peer.runtime, JSON.stringify(seen));
      const imported = await importKeyPair({
        id: peer.freshKey.kid,
        alg: "ES256",
        publicKey: peer.freshKey.publicJwk,
      });
      const fresh = await verifyJwt(peer.freshKey.token, createKeyring([imported]), {
        algorithms: ["ES256"],
      });
      ok(fresh.ok, JSON.stringify(fresh));
    });

    suite.test(`${tag}: access token verifies with tokens.verify`, async () => {
      const store = new MemoryStore({ sweepIntervalMs: 0 });
      try {
        const tokens = createTokens({
          keys: createKeyring(v.keyring),
          store,
          issuer: TOKENS_ISSUER,
          audience: TOKENS_AUDIENCE,
        });
        const seen = await tokens.verify(peer.accessToken);
        ok(seen.ok, JSON.stringify(seen));
        equal(seen.claims.sub, `user-of-${peer.runtime}`);
      } finally {
        await store.close();
      }
    });

    suite.test(`${tag}: stateless session cookie loads`, async () => {
      const sessions = createSessions<Record<string, unknown>>({
        keys: createKeyring(v.keyring),
      });
      const session = await sessions.load(peer.statelessCookie.header);
      equal(session.rejected, undefined, "rejected");
      equal(session.isNew, false, "isNew");
      deepEqual(session.toJSON(), peer.statelessCookie.data);
    });
  }
}
