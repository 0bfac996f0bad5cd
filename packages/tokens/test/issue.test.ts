import { describe, expect, it } from "vitest";
import { TokensError } from "../src/index.js";
import { setup, storeFactories } from "./helpers.js";

// Lone surrogates: networked stores turn each into U+FFFD, and so does the
// UTF-8 encoding of a JWT's `sub`.
const ILL_FORMED = ["a\uD800", "a\uDC00", "\uDC36\uD83D"];

async function codeOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return TokensError.isInstance(error) ? error.code : error;
  }
  return "no error";
}

describe.each(storeFactories)("user ids on %s", (_name, factory) => {
  // Regression: "a\uD800" and "a\uDC00" shared one per-user index in Redis,
  // SQL and Memcached, so revokeUser of one revoked the other's families.
  it.each(ILL_FORMED)(
    "issue, issueStepUp and revokeUser refuse %j and store nothing",
    async (userId) => {
      const { tokens, events } = await setup(factory);
      expect(await codeOf(() => tokens.issue(userId))).toBe("ERR_TOKENS_INVALID_ARGUMENT");
      expect(await codeOf(() => tokens.issueStepUp({ userId, sessionId: "s1", acr: "mfa" }))).toBe(
        "ERR_TOKENS_INVALID_ARGUMENT",
      );
      expect(await codeOf(() => tokens.revokeUser(userId))).toBe("ERR_TOKENS_INVALID_ARGUMENT");
      expect(events).toEqual([]);
    },
  );

  it("the error names the argument and shows the value escaped", async () => {
    const { tokens } = await setup(factory);
    await expect(tokens.issue("a\uD800")).rejects.toMatchObject({
      code: "ERR_TOKENS_INVALID_ARGUMENT",
      message: expect.stringMatching(
        /userId is invalid: "a\\ud800" \(expected well-formed Unicode/,
      ),
    });
  });

  it("well-formed ids with astral characters still work", async () => {
    const { tokens } = await setup(factory);
    const pair = await tokens.issue("user-🍪-中");
    expect(await tokens.revokeUser("user-🍪-中")).toBe(1);
    expect(await tokens.refresh(pair.refreshToken)).toEqual({ ok: false, reason: "revoked" });
  });
});
