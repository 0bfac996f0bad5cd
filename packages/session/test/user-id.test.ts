/** User ids reach stores and revocation keys: every entry applies the store's rule. */
import { MemoryStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { clock, errorCode, setup, spyStore } from "./helpers.js";

// Lone surrogates: networked stores (and UTF-8 hashing) turn each into U+FFFD.
const ILL_FORMED = ["a\uD800", "a\uDC00", "\uDC36\uD83D"];

describe("user ids that are not well-formed Unicode", () => {
  // Regression: "a\uD800" and "a\uDC00" became one user in Redis, SQL and
  // Memcached, so revoking or evicting one crossed into the other.
  it.each(ILL_FORMED)(
    "login(%j) throws ERR_SESSION_INVALID_ARGUMENT and changes nothing",
    async (userId) => {
      const { request, spy } = setup();
      await request(async (s) => {
        s.set("n", 1);
        expect(await errorCode(() => s.login(userId))).toBe("ERR_SESSION_INVALID_ARGUMENT");
        expect(s.userId).toBeUndefined();
        expect(s.get("n")).toBe(1);
      });
      expect(spy.calls.set).toBe(1);
    },
  );

  it("the error names the option and shows the value escaped", async () => {
    const { request } = setup();
    await request(async (s) => {
      await expect(s.login("a\uD800")).rejects.toThrow(
        /userId is invalid: "a\\ud800" \(expected well-formed Unicode/,
      );
    });
  });

  it.each(ILL_FORMED)(
    "revokeUser, revokeUserSession and listUserSessions refuse %j",
    async (userId) => {
      const { sessions } = setup();
      expect(await errorCode(() => sessions.revokeUser(userId))).toBe(
        "ERR_SESSION_INVALID_ARGUMENT",
      );
      expect(await errorCode(() => sessions.revokeUserSession(userId, "x"))).toBe(
        "ERR_SESSION_INVALID_ARGUMENT",
      );
      expect(await errorCode(() => sessions.listUserSessions(userId))).toBe(
        "ERR_SESSION_INVALID_ARGUMENT",
      );
    },
  );

  it("stateless: login and revokeUser refuse them too (the revocation key hashes the UTF-8 form)", async () => {
    const c = clock();
    const revocation = spyStore(new MemoryStore({ sweepIntervalMs: 0, now: c.now }));
    const { request, sessions } = setup({ revocationStore: revocation.store }, true, 0, c);
    await request(async (s) => {
      expect(await errorCode(() => s.login("a\uD800"))).toBe("ERR_SESSION_INVALID_ARGUMENT");
    });
    expect(await errorCode(() => sessions.revokeUser("a\uDC00"))).toBe(
      "ERR_SESSION_INVALID_ARGUMENT",
    );
    expect(revocation.calls.set).toBe(0);
  });

  it("well-formed ids with astral characters still work", async () => {
    const { request, sessions } = setup();
    await request((s) => s.login("user-🍪-中"));
    expect(await sessions.listUserSessions("user-🍪-中")).toHaveLength(1);
    expect(await sessions.revokeUser("user-🍪-中")).toBe(1);
  });
});
