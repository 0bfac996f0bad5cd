/**
 * Interop: our access tokens verified by other libraries, the way another
 * service would: jsonwebtoken with the public key (ES256) or the derived
 * HS256 subkey, and jose's createRemoteJWKSet against our JWKS handler served
 * over real HTTP on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createKeyring,
  deriveKey,
  exportKeyPair,
  generateKeyPair,
  randomToken,
} from "@tessera/signing";
import { createRemoteJWKSet, jwtVerify } from "jose";
import jwt from "jsonwebtoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJwksHandler, type FetchHandler, TokensError } from "../src/index.js";
import { AUDIENCE, ISSUER, setup, T0 } from "./helpers.js";

function serve(handler: FetchHandler): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method ?? "GET" }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    });
  });
}

describe("jsonwebtoken verifies our access tokens", () => {
  it("ES256 with the exported public key (SPKI PEM)", async () => {
    const pair = await generateKeyPair("ES256", { id: "es-interop" });
    const { publicKey } = await exportKeyPair(pair, "pem");
    const { tokens } = await setup(undefined, { keys: createKeyring([pair]), algorithm: "ES256" });
    const { accessToken, sessionId } = await tokens.issue("u1", { claims: { scope: "read" } });
    const claims = jwt.verify(accessToken, publicKey, {
      algorithms: ["ES256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      // The test clock is fixed in 2026; jsonwebtoken takes seconds.
      clockTimestamp: T0 / 1000 + 1,
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: "u1", sid: sessionId, scope: "read" });
    const header = jwt.decode(accessToken, { complete: true })!.header;
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: "es-interop" });
  });

  it("HS256 only with the derived subkey, never with the configured secret", async () => {
    const secret = randomToken(32);
    const keys = createKeyring([{ id: "k1", secret }]);
    const { tokens } = await setup(undefined, { keys });
    const { accessToken } = await tokens.issue("u1");
    const options = {
      algorithms: ["HS256" as const],
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTimestamp: T0 / 1000 + 1,
    };
    const subkey = Buffer.from(deriveKey(keys, "jwt-hs256", { context: "tessera-tokens-at" }));
    expect((jwt.verify(accessToken, subkey, options) as jwt.JwtPayload).sub).toBe("u1");
    expect(() => jwt.verify(accessToken, Buffer.from(secret, "base64url"), options)).toThrow(
      /invalid signature/,
    );
  });
});

describe.each(["EdDSA", "ES256"] as const)("JWKS over HTTP, %s", (alg) => {
  let server: Server;
  let url: string;
  let tokens: Awaited<ReturnType<typeof setup>>["tokens"];

  beforeAll(async () => {
    const pair = await generateKeyPair(alg, { id: `${alg}-1` });
    ({ tokens } = await setup(undefined, { keys: createKeyring([pair]), algorithm: alg }));
    ({ server, url } = await serve(tokens.jwksHandler({ maxAge: 300 })));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("jose's createRemoteJWKSet verifies our access token", async () => {
    const { accessToken } = await tokens.issue("u1");
    const jwks = createRemoteJWKSet(new URL(url));
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: "at+jwt",
      algorithms: [alg],
      currentDate: new Date(T0 + 1000),
    });
    expect(payload.sub).toBe("u1");
    expect(protectedHeader.kid).toBe(`${alg}-1`);
  });

  it("publishes only public halves, with the JWK Set media type and cache headers", async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const body = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kid: `${alg}-1`, alg, use: "sig" });
    expect(body.keys[0]).not.toHaveProperty("d");
  });

  it("HEAD has no body; other methods get 405", async () => {
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await fetch(url, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("jwksHandler misuse", () => {
  it("throws ERR_TOKENS_UNSUPPORTED for a symmetric algorithm", async () => {
    const { tokens } = await setup();
    expect(() => tokens.jwksHandler()).toThrow(
      expect.objectContaining({ code: "ERR_TOKENS_UNSUPPORTED" }),
    );
    expect(TokensError.isInstance(new TokensError("ERR_TOKENS_UNSUPPORTED", "x"))).toBe(true);
  });

  it("createJwksHandler of a secrets-only keyring publishes an empty set, never a secret", async () => {
    const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
    const response = await createJwksHandler(keys)(new Request("http://127.0.0.1/"));
    expect(await response.json()).toEqual({ keys: [] });
  });
});
