import { hashToken, randomToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import type { Tokens } from "../src/create-tokens.js";
import { TokensError } from "../src/index.js";
import { decodeSegment, setup, storeFactories, T0 } from "./helpers.js";

describe.each(storeFactories)(
  "step-up tokens on %s (short-lived, single use, bound to the session)",
  (_name, factory) => {
    /** A step-up of user u1 bound to `sessionId`, after an MFA re-authentication. */
    const mfaStepUp = (tokens: Tokens, sessionId: string) =>
      tokens.issueStepUp({ userId: "u1", sessionId, acr: "mfa" });

    it("stepup+jwt, exp now+300, unique jti, bound to sid; single use", async () => {
      const { tokens, clock } = await setup(factory);
      const pair = await tokens.issue("u1");
      const step = await mfaStepUp(tokens, pair.sessionId);
      const other = await mfaStepUp(tokens, pair.sessionId);
      expect(step.jti).not.toBe(other.jti);
      expect(decodeSegment(step.token, 0).typ).toBe("stepup+jwt");
      const claims = decodeSegment(step.token, 1);
      const now = Math.floor(clock.now() / 1000);
      expect(claims).toMatchObject({
        exp: now + 300,
        sid: pair.sessionId,
        acr: "mfa",
        auth_time: now,
      });
      const first = await tokens.verifyStepUp(step.token, { sessionId: pair.sessionId });
      expect(first).toMatchObject({ ok: true, claims: { sub: "u1", acr: "mfa" } });
      expect(await tokens.verifyStepUp(step.token, { sessionId: pair.sessionId })).toEqual({
        ok: false,
        reason: "reused",
      });
    });

    it("two concurrent uses: exactly one passes", async () => {
      const { tokens } = await setup(factory);
      const step = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "mfa" });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => tokens.verifyStepUp(step.token, { sessionId: "s1" })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    it("use after 301 s is refused; at 300 s with tolerance 0 accepted", async () => {
      const { tokens, clock } = await setup(factory, { clockTolerance: 0 });
      const step = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "mfa" });
      const late = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "mfa" });
      clock.advance(299);
      expect((await tokens.verifyStepUp(step.token, { sessionId: "s1" })).ok).toBe(true);
      clock.advance(2);
      expect(await tokens.verifyStepUp(late.token, { sessionId: "s1" })).toMatchObject({
        reason: "expired",
      });
    });

    it("use with another session is refused", async () => {
      const { tokens } = await setup(factory);
      const step = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "mfa" });
      expect(await tokens.verifyStepUp(step.token, { sessionId: "s2" })).toEqual({
        ok: false,
        reason: "wrong_session",
      });
    });

    it("maxAuthAge: refused when the re-authentication is older", async () => {
      const { tokens, clock } = await setup(factory);
      const step = await tokens.issueStepUp({
        userId: "u1",
        sessionId: "s1",
        acr: "mfa",
        authTime: clock.now() - 200_000,
      });
      expect(
        await tokens.verifyStepUp(step.token, {
          sessionId: "s1",
          maxAuthAge: 120,
          singleUse: false,
        }),
      ).toEqual({ ok: false, reason: "auth_too_old" });
      expect(
        (
          await tokens.verifyStepUp(step.token, {
            sessionId: "s1",
            maxAuthAge: 300,
            singleUse: false,
          })
        ).ok,
      ).toBe(true);
    });

    it("acr allow-list", async () => {
      const { tokens } = await setup(factory);
      const step = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "pwd" });
      expect(
        await tokens.verifyStepUp(step.token, { sessionId: "s1", acr: ["mfa", "hwk"] }),
      ).toEqual({
        ok: false,
        reason: "insufficient_acr",
      });
      expect((await tokens.verifyStepUp(step.token, { sessionId: "s1", acr: "pwd" })).ok).toBe(
        true,
      );
    });

    it("singleUse: false allows reuse until exp", async () => {
      const { tokens } = await setup(factory);
      const step = await tokens.issueStepUp({ userId: "u1", sessionId: "s1", acr: "mfa" });
      for (let i = 0; i < 3; i++) {
        expect(
          (await tokens.verifyStepUp(step.token, { sessionId: "s1", singleUse: false })).ok,
        ).toBe(true);
      }
    });

    it("a step-up token is not an access token, and the reverse (explicit typing)", async () => {
      const { tokens } = await setup(factory);
      const pair = await tokens.issue("u1");
      const step = await mfaStepUp(tokens, pair.sessionId);
      expect(await tokens.verify(step.token)).toMatchObject({ ok: false, reason: "invalid" });
      expect(
        await tokens.verifyStepUp(pair.accessToken, { sessionId: pair.sessionId }),
      ).toMatchObject({ ok: false, reason: "invalid" });
    });

    it("with checkRevocation, a step-up of a revoked session is refused", async () => {
      const { tokens } = await setup(factory, { checkRevocation: true });
      const pair = await tokens.issue("u1");
      const step = await mfaStepUp(tokens, pair.sessionId);
      await tokens.revokeFamily(pair.sessionId);
      expect(await tokens.verifyStepUp(step.token, { sessionId: pair.sessionId })).toEqual({
        ok: false,
        reason: "revoked",
      });
    });

    it("binds to a cookie session's session.id; checkRevocation does not take it for a revoked family", async () => {
      // Bug pinned: a @tessera/session id was refused as "revoked" (no token family by that id).
      const { tokens } = await setup(factory, { checkRevocation: true });
      // The shape of @tessera/session's session.id: a labelled hash of its store key.
      const sessionId = hashToken(`tessera/session/id/v1:${hashToken(randomToken(32))}`);
      const step = await tokens.issueStepUp({ userId: "u1", sessionId, acr: "mfa" });
      expect(await tokens.verifyStepUp(step.token, { sessionId: "another" })).toEqual({
        ok: false,
        reason: "wrong_session",
      });
      expect(await tokens.verifyStepUp(step.token, { sessionId })).toMatchObject({
        ok: true,
        claims: { sub: "u1", sid: sessionId, sid_type: "session" },
      });
      expect(decodeSegment(step.token, 1)).toMatchObject({ sid: sessionId, sid_type: "session" });
    });

    it("a family id stays a family: no sid_type, and another user's family is refused at issue", async () => {
      const { tokens } = await setup(factory);
      const pair = await tokens.issue("u1");
      const step = await mfaStepUp(tokens, pair.sessionId);
      expect(decodeSegment(step.token, 1).sid_type).toBeUndefined();
      await expect(
        tokens.issueStepUp({ userId: "u2", sessionId: pair.sessionId, acr: "mfa" }),
      ).rejects.toMatchObject({
        code: "ERR_TOKENS_INVALID_ARGUMENT",
        message: expect.stringContaining("sessionId"),
      });
    });

    it.each([
      ["expiresIn above stepUpTtl", { expiresIn: 301 }],
      ["empty acr", { acr: "" }],
      ["authTime in the future", { authTime: T0 + 365 * 86_400_000 }],
    ])("issueStepUp throws on %s", async (_label, override) => {
      const { tokens } = await setup(factory);
      const input = { userId: "u1", sessionId: "s1", acr: "mfa", ...override };
      await expect(tokens.issueStepUp(input)).rejects.toSatisfy(
        (e: unknown) => TokensError.isInstance(e) && e.code === "ERR_TOKENS_INVALID_ARGUMENT",
      );
    });
  },
);
