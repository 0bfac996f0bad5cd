import { createKeyring, deriveKey, randomToken, signJwt } from "@tessera/signing";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokens } from "../src/index.js";
import { AUDIENCE, decodeSegment, ISSUER, setup, storeFactories } from "./helpers.js";

/** signJwt options of this service's HS256 access tokens, for tokens a test signs by hand. */
const accessOptions = (now: number) => ({
  alg: "HS256" as const,
  expiresIn: 600,
  issuer: ISSUER,
  audience: AUDIENCE,
  subject: "u1",
  jwtId: "j1",
  now,
  context: "tessera-tokens-at",
});

describe("verify", () => {
  it("issues an at+jwt with sub, sid, jti, iat, exp, aud, iss and auth_time", async () => {
    const { tokens, clock } = await setup();
    const pair = await tokens.issue("u1", { claims: { scope: "read write" } });
    expect(pair.tokenType).toBe("Bearer");
    expect(pair.expiresIn).toBe(600);
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = decodeSegment(pair.accessToken, 0);
    expect(header).toMatchObject({ alg: "HS256", typ: "at+jwt", kid: "k1" });
    const seen = await tokens.verify(pair.accessToken);
    expect(seen.ok).toBe(true);
    if (!seen.ok) return;
    const now = Math.floor(clock.now() / 1000);
    expect(seen.claims).toMatchObject({
      sub: "u1",
      sid: pair.sessionId,
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now,
      exp: now + 600,
      auth_time: now,
      scope: "read write",
    });
    expect(seen.claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("every token gets its own jti", async () => {
    const { tokens } = await setup();
    const pair = await tokens.issue("u1");
    const a = decodeSegment(pair.accessToken, 1).jti;
    const next = await tokens.refresh(pair.refreshToken);
    expect(next.ok && decodeSegment(next.pair.accessToken, 1).jti).not.toBe(a);
  });

  it("expired: refused after exp + clock tolerance, accepted within it", async () => {
    const { tokens, clock } = await setup(undefined, { clockTolerance: 30 });
    const pair = await tokens.issue("u1");
    clock.advance(600 + 29);
    expect((await tokens.verify(pair.accessToken)).ok).toBe(true);
    clock.advance(2);
    expect(await tokens.verify(pair.accessToken)).toEqual({
      ok: false,
      reason: "expired",
      detail: "expired",
    });
  });

  it("clock tolerance 0 refuses the first second after exp", async () => {
    const { tokens, clock } = await setup(undefined, { clockTolerance: 0 });
    const pair = await tokens.issue("u1");
    clock.advance(600);
    expect(await tokens.verify(pair.accessToken)).toMatchObject({ reason: "expired" });
  });

  it("a token issued in the future (a skewed issuer clock) is refused beyond the tolerance", async () => {
    const { tokens, clock } = await setup();
    const pair = await tokens.issue("u1");
    clock.advance(-120);
    expect(await tokens.verify(pair.accessToken)).toMatchObject({
      ok: false,
      reason: "invalid",
      detail: "issued_in_future",
    });
  });

  it("tampering with any segment is refused", async () => {
    const { tokens } = await setup();
    const { accessToken } = await tokens.issue("u1");
    const [h, p, s] = accessToken.split(".") as [string, string, string];
    const payload = decodeSegment(accessToken, 1);
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: "admin" })).toString("base64url");
    // Replace the first character with one it is not: a random segment that already
    // began with the replacement came through unchanged about once in 64 runs.
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    for (const token of [`${h}.${forged}.${s}`, `${h}.${p}.${flip(s)}`, `${flip(h)}.${p}.${s}`]) {
      const seen = await tokens.verify(token);
      expect(seen.ok).toBe(false);
    }
    expect(await tokens.verify(`${h}.${forged}.${s}`)).toMatchObject({ detail: "bad_signature" });
  });

  it.each([
    ["empty", ""],
    ["two segments", "a.b"],
    ["garbage", "not a token"],
    ["huge", "a".repeat(20_000)],
    ["a refresh token", randomToken(32)],
    ["not a string", 42 as unknown as string],
  ])("refuses %s as malformed without throwing", async (_label, token) => {
    const { tokens } = await setup();
    expect(await tokens.verify(token)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("refuses alg none in every spelling", async () => {
    const { tokens } = await setup();
    const { accessToken } = await tokens.issue("u1");
    const payload = accessToken.split(".")[1];
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const header = Buffer.from(JSON.stringify({ alg, typ: "at+jwt", kid: "k1" })).toString(
        "base64url",
      );
      expect((await tokens.verify(`${header}.${payload}.`)).ok).toBe(false);
    }
  });

  it("explicit typing: a JWT signed with our key but another typ or claims set is refused", async () => {
    const { tokens, keys, clock } = await setup();
    const base = { sid: "f", auth_time: 1 };
    const opts = accessOptions(clock.now());
    const wrongTyp = await signJwt(base, keys, { ...opts, typ: "session+jwt" });
    expect(await tokens.verify(wrongTyp)).toMatchObject({ reason: "invalid", detail: "type" });
    // The right typ under the raw jwt-hs256 key (no per-kind context) fails the signature.
    const otherKey = await signJwt(base, keys, { ...opts, typ: "at+jwt", context: undefined });
    expect(await tokens.verify(otherKey)).toMatchObject({ reason: "invalid" });
    const noSid = await signJwt({}, keys, { ...opts, typ: "at+jwt" });
    expect(await tokens.verify(noSid)).toMatchObject({ detail: "missing_claim" });
    const good = await signJwt(base, keys, { ...opts, typ: "at+jwt" });
    expect((await tokens.verify(good)).ok).toBe(true);
  });

  it("refuses HS512 when HS256 is configured", async () => {
    const { tokens, keys, clock } = await setup();
    const token = await signJwt({ sid: "f" }, keys, {
      ...accessOptions(clock.now()),
      alg: "HS512",
      typ: "at+jwt",
    });
    expect(await tokens.verify(token)).toMatchObject({ detail: "algorithm_not_allowed" });
  });

  it.each([
    ["jwk", { jwk: { kty: "oct", k: "AAAA" } }],
    ["jku", { jku: "https://attacker.example/jwks" }],
    ["x5u", { x5u: "https://attacker.example/cert" }],
  ])("refuses a correctly signed token carrying a %s header", async (_name, extra) => {
    const { tokens, keys, clock } = await setup();
    const key = deriveKey(keys, "jwt-hs256", { context: "tessera-tokens-at" });
    const iat = Math.floor(clock.now() / 1000);
    const token = await new SignJWT({ sid: "f", jti: "j1", sub: "u1" })
      .setProtectedHeader({ alg: "HS256", kid: "k1", typ: "at+jwt", ...extra })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .sign(key);
    expect(await tokens.verify(token)).toMatchObject({ ok: false, detail: "forbidden_header" });
  });

  it.each([
    ["issuer", { issuer: "https://evil.example" }, "issuer"],
    ["audience", { audience: "other" }, "audience"],
  ])("refuses a token minted for another %s", async (_label, override, detail) => {
    const { tokens, store, clock, keys } = await setup();
    const other = createTokens({
      keys,
      store,
      issuer: ISSUER,
      audience: AUDIENCE,
      now: clock.now,
      ...override,
    });
    const pair = await other.issue("u1");
    expect(await tokens.verify(pair.accessToken)).toMatchObject({ reason: "invalid", detail });
  });

  it("refuses a token from another keyring", async () => {
    const { tokens } = await setup();
    const { tokens: stranger } = await setup(undefined, {
      keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
    });
    const pair = await stranger.issue("u1");
    expect(await tokens.verify(pair.accessToken)).toMatchObject({ detail: "bad_signature" });
  });

  it("maxAuthAge refuses stale authentication, per call", async () => {
    const { tokens, clock } = await setup();
    const pair = await tokens.issue("u1", { authTime: clock.now() - 400_000 });
    expect((await tokens.verify(pair.accessToken)).ok).toBe(true);
    expect((await tokens.verify(pair.accessToken, { maxAuthAge: 500 })).ok).toBe(true);
    expect(await tokens.verify(pair.accessToken, { maxAuthAge: 300 })).toEqual({
      ok: false,
      reason: "auth_too_old",
    });
    // Refreshing carries the original auth_time: rotation is not re-authentication.
    const next = await tokens.refresh(pair.refreshToken);
    if (!next.ok) throw new Error(next.reason);
    expect(await tokens.verify(next.pair.accessToken, { maxAuthAge: 300 })).toMatchObject({
      reason: "auth_too_old",
    });
  });

  it("flags tokens signed by a retired key for reissue", async () => {
    const old = { id: "old", secret: randomToken(32) };
    const { tokens: before, store, clock } = await setup(undefined, { keys: createKeyring([old]) });
    const pair = await before.issue("u1");
    const rotated = createTokens({
      keys: createKeyring([{ id: "new", secret: randomToken(32) }, old]),
      store,
      issuer: ISSUER,
      audience: AUDIENCE,
      now: clock.now,
    });
    expect(await rotated.verify(pair.accessToken)).toMatchObject({ ok: true, needsReissue: true });
    const next = await rotated.refresh(pair.refreshToken);
    expect(next.ok && decodeSegment(next.pair.accessToken, 0).kid).toBe("new");
  });
});

describe.each(storeFactories)("revocation checks in verify on %s", (_name, factory) => {
  it("deny list: a revoked access token is refused until it expires", async () => {
    const { tokens, clock } = await setup(factory, { denyList: true });
    const pair = await tokens.issue("u1");
    const other = await tokens.issue("u1");
    expect(await tokens.revokeAccessToken(pair.accessToken)).toBe(true);
    expect(await tokens.verify(pair.accessToken)).toEqual({ ok: false, reason: "revoked" });
    // Re-encoding cannot dodge a deny list keyed by jti: it is malformed instead.
    expect((await tokens.verify(`${pair.accessToken}=`)).ok).toBe(false);
    expect((await tokens.verify(other.accessToken)).ok).toBe(true);
    expect(await tokens.revokeAccessToken("garbage")).toBe(false);
    clock.advance(700);
    expect(await tokens.verify(pair.accessToken)).toMatchObject({ reason: "expired" });
  });

  it("deny list off: revokeAccessToken writes, verify does not read it", async () => {
    const { tokens } = await setup(factory);
    const pair = await tokens.issue("u1");
    await tokens.revokeAccessToken(pair.accessToken);
    expect((await tokens.verify(pair.accessToken)).ok).toBe(true);
  });

  it("checkRevocation: a revoked family's access tokens are refused by sid", async () => {
    const { tokens } = await setup(factory, { checkRevocation: true });
    const pair = await tokens.issue("u1");
    expect((await tokens.verify(pair.accessToken)).ok).toBe(true);
    expect(await tokens.revokeFamily(pair.sessionId)).toBe(true);
    expect(await tokens.verify(pair.accessToken)).toEqual({ ok: false, reason: "revoked" });
  });

  it("without checkRevocation, a revoked family's access token lives until exp (documented)", async () => {
    const { tokens } = await setup(factory);
    const pair = await tokens.issue("u1");
    await tokens.revokeFamily(pair.sessionId);
    expect((await tokens.verify(pair.accessToken)).ok).toBe(true);
  });
});
