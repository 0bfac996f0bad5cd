/**
 * `login(userId, { authTime: null, createdAt, expiresBy })`: binding a user
 * whose session began elsewhere (a migration) without a fresh authentication
 * or a new absolute window.
 */
import { describe, expect, it } from "vitest";
import { errorCode, HOUR, MIN, setup } from "./helpers.js";

const ABSOLUTE = 12 * HOUR; // the manager's default absoluteTimeout

describe.each([
  ["stateful", false],
  ["stateless", true],
])("carried-over login (%s)", (_mode, stateless) => {
  it("authTime: null binds the user but the session is never fresh until a real login", async () => {
    const { request } = setup({}, stateless);
    await request(async (s) => {
      await s.login("u1", { authTime: null });
      expect(s.userId).toBe("u1");
      expect(s.authTime).toBeUndefined();
      expect(s.isFresh(1e9)).toBe(false);
    });
    const { session } = await request((s) => {
      expect(() => s.requireFresh(300)).toThrow(
        expect.objectContaining({ code: "ERR_SESSION_REAUTH_REQUIRED" }),
      );
    });
    expect(session.userId).toBe("u1");
    await request(async (s) => {
      s.set("n", 1);
      await s.login("u1");
      expect(s.isFresh(300)).toBe(true);
      expect(s.get("n")).toBe(1); // same user: nothing dropped
    });
  });

  it("createdAt starts the absolute window in the past: it ends at createdAt + absoluteTimeout", async () => {
    // The store's clock lags, so the manager's own deadline check is what ends the session.
    const { request, clock, jar } = setup({}, stateless, HOUR);
    const began = clock.t - (ABSOLUTE - 20 * MIN);
    await request(async (s) => {
      await s.login("u1", { authTime: null, createdAt: began });
      expect(s.createdAt).toBe(began);
    });
    clock.advance(19 * MIN);
    expect((await request((s) => s.userId)).result).toBe("u1");
    clock.advance(2 * MIN);
    const { session } = await request(() => {});
    expect(session.userId).toBeUndefined();
    expect(session.rejected).toBe("expired_absolute");
    expect(jar.cookies.size).toBe(0);
  });

  it("expiresBy caps the absolute deadline", async () => {
    const { request, clock } = setup({}, stateless, HOUR);
    const legacyExpiry = clock.t + 20 * MIN;
    await request(async (s) => {
      await s.login("u1", { authTime: null, expiresBy: legacyExpiry });
      expect(s.createdAt + ABSOLUTE).toBe(legacyExpiry);
    });
    clock.advance(20 * MIN);
    expect((await request(() => {})).session.rejected).toBe("expired_absolute");
  });

  it("never extends a session: a later createdAt or expiresBy leaves the window at now", async () => {
    const { request, clock } = setup({}, stateless);
    await request(async (s) => {
      await s.login("u1", { authTime: null, expiresBy: clock.t + 10 * ABSOLUTE });
      expect(s.createdAt).toBe(clock.t);
    });
  });

  it("a deadline already past, a future createdAt or a bad value throws and changes nothing", async () => {
    const { request, clock } = setup({}, stateless);
    await request(async (s) => {
      s.set("n", 1);
      for (const options of [
        { createdAt: clock.t - ABSOLUTE },
        { expiresBy: clock.t },
        { createdAt: clock.t + 1 },
        { createdAt: Number.NaN },
        { expiresBy: "soon" },
        { authTime: 0 },
      ]) {
        expect(await errorCode(() => s.login("u1", options as never))).toBe(
          "ERR_SESSION_INVALID_ARGUMENT",
        );
      }
      expect(s.userId).toBeUndefined();
      expect(s.get("n")).toBe(1);
    });
  });
});
