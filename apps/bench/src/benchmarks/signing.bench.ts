import { createHash } from "node:crypto";
import {
  createKeyring,
  hashToken,
  randomToken,
  seal,
  sign,
  signJwt,
  unseal,
  unsign,
  verifyJwt,
} from "@tessera/signing";
import cookieSignature from "cookie-signature";
import { sealData, unsealData } from "iron-session";
import { jwtVerify } from "jose";
import { type Benchmark, compare } from "../harness.js";

const secret = randomToken(32);
const keys = createKeyring([{ id: "2026-11", secret }]);
const token = randomToken(32); // 43 characters, as a session id
// A 200-byte session: the size iron-session users typically seal.
const session = {
  userId: "u_8f3a2c",
  roles: ["user"],
  cart: [1, 2, 3],
  theme: "dark",
  csrf: randomToken(16),
  note: "x".repeat(90),
};
const ironPassword = randomToken(32) + randomToken(32);
const jwtOptions = { algorithms: ["HS256"] as const, maxTokenAge: 3600 };

const benchmark: Benchmark = {
  id: "signing",
  title: "@tessera/signing against cookie-signature, jose and iron-session",
  run: async (options) => {
    const jwt = await signJwt({ sub: "u1", scope: "read" }, keys, {
      alg: "HS256",
      expiresIn: 3600,
    });
    // The peer gets the same derived HS256 key, imported once, as a caller of jose would.
    const { deriveKey } = await import("@tessera/signing");
    const hsKey = await crypto.subtle.importKey(
      "raw",
      deriveKey(keys, "jwt-hs256") as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const peerJwtOptions = {
      algorithms: ["HS256"],
      typ: "JWT",
      requiredClaims: ["exp", "iat"],
      maxTokenAge: 3600,
    };
    const size = JSON.stringify(session).length;
    return compare(
      [
        {
          case: `sign + unsign a ${token.length}-char token`,
          ours: () =>
            unsign(sign(token, keys, { context: "__Host-sid" }), keys, { context: "__Host-sid" }),
          peer: () => cookieSignature.unsign(cookieSignature.sign(token, secret), secret),
          peerName: "cookie-signature@1.2.2",
          target: 1.2,
        },
        {
          case: `hashToken a ${token.length}-char token (SHA-256, base64url)`,
          ours: () => hashToken(token),
          peer: () => createHash("sha256").update(token).digest("base64url"),
          peerName: "node:crypto createHash",
          target: 1,
        },
        {
          case: "verify an HS256 JWT",
          ours: () => verifyJwt(jwt, keys, jwtOptions),
          peer: () => jwtVerify(jwt, hsKey, peerJwtOptions),
          peerName: "jose@6 jwtVerify, key imported once",
          target: 0.9,
        },
        {
          case: `seal + unseal a ${size}-byte session`,
          ours: async () =>
            unseal(await seal(session, keys, { expiresIn: 3600, context: "__Host-sess" }), keys, {
              context: "__Host-sess",
            }),
          peer: async () =>
            unsealData(await sealData(session, { password: ironPassword, ttl: 3600 }), {
              password: ironPassword,
              ttl: 3600,
            }),
          peerName: "iron-session@9.0.1 sealData/unsealData",
          target: 3,
        },
      ],
      options,
    );
  },
};

export default benchmark;
