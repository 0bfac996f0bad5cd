import { createKeyring, generateKeyPair } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { createTokens, readBearerToken, unauthorizedResponse } from "@tessera/tokens";
import { equal, ok, type Suite } from "../harness.js";
import type { Vectors } from "../types.js";

export const TOKENS_ISSUER = "https://auth.example";
export const TOKENS_AUDIENCE = "api";

export function tokensTests(suite: Suite, v: Vectors): void {
  suite.test("tokens: issue, verify, refresh, reuse detection revokes the family", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const events: string[] = [];
    try {
      const tokens = createTokens({
        keys: createKeyring(v.keyring),
        store,
        issuer: TOKENS_ISSUER,
        audience: TOKENS_AUDIENCE,
        onEvent: (e) => events.push(e.type),
      });
      const pair = await tokens.issue("u_42");
      equal(pair.tokenType, "Bearer");
      equal(pair.refreshToken.length, 43);
      const seen = await tokens.verify(pair.accessToken);
      ok(seen.ok, JSON.stringify(seen));
      equal(seen.claims.sub, "u_42");

      const next = await tokens.refresh(pair.refreshToken);
      ok(next.ok, JSON.stringify(next));
      ok(next.pair.refreshToken !== pair.refreshToken, "rotated");
      ok((await tokens.verify(next.pair.accessToken)).ok, "new access token");

      const reused = await tokens.refresh(pair.refreshToken);
      ok(!reused.ok && reused.reason === "reused", JSON.stringify(reused));
      const child = await tokens.refresh(next.pair.refreshToken);
      ok(!child.ok, `the family is revoked: ${JSON.stringify(child)}`);
      ok(events.includes("refresh_reuse"), events.join(","));
    } finally {
      await store.close();
    }
  });

  suite.test("tokens: bad tokens are refused without throwing; revokeUser", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    try {
      const tokens = createTokens({
        keys: createKeyring(v.keyring),
        store,
        issuer: TOKENS_ISSUER,
        audience: TOKENS_AUDIENCE,
        checkRevocation: true,
      });
      equal((await tokens.refresh("x".repeat(43))).ok, false);
      equal((await tokens.refresh("not a token")).ok, false);
      const garbage = await tokens.verify("a.b.c");
      ok(!garbage.ok, "garbage");
      const pair = await tokens.issue("u_7");
      // One signature character changed for a different one: "...AA" could be the original.
      const at = pair.accessToken.at(-5) === "A" ? "B" : "A";
      const tampered = await tokens.verify(
        `${pair.accessToken.slice(0, -5)}${at}${pair.accessToken.slice(-4)}`,
      );
      ok(!tampered.ok, "tampered");
      equal(await tokens.revokeUser("u_7"), 1);
      const after = await tokens.verify(pair.accessToken);
      ok(!after.ok && after.reason === "revoked", JSON.stringify(after));
      equal((await tokens.refresh(pair.refreshToken)).ok, false, "refresh after revokeUser");
    } finally {
      await store.close();
    }
  });

  suite.test("tokens: Fetch helpers (Bearer, 401 challenge, JWKS handler)", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    try {
      const keys = createKeyring([await generateKeyPair("EdDSA", { id: "ed-1" })]);
      const tokens = createTokens({
        keys,
        algorithm: "EdDSA",
        store,
        issuer: TOKENS_ISSUER,
        audience: TOKENS_AUDIENCE,
      });
      const pair = await tokens.issue("u_9");
      const request = new Request("https://api.example/me", {
        headers: { authorization: `Bearer ${pair.accessToken}` },
      });
      ok((await tokens.verifyRequest(request)).ok, "verifyRequest");
      const missing = readBearerToken(null);
      ok(!missing.ok, "missing");
      const challenge = unauthorizedResponse({ reason: "missing" }, { realm: "api" });
      equal(challenge.status, 401);
      ok(challenge.headers.get("www-authenticate")?.startsWith("Bearer") === true, "challenge");
      const jwks = await tokens.jwksHandler()(new Request("https://api.example/jwks"));
      equal(jwks.status, 200);
      const body = (await jwks.json()) as { keys: Array<{ kid: string; d?: string }> };
      equal(body.keys[0]?.kid, "ed-1");
      equal(body.keys[0]?.d, undefined, "no private half");
    } finally {
      await store.close();
    }
  });
}
