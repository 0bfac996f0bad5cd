import { readBearerToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

async function bearerSession() {
  const t = setup({ tokenMode: "authorization" });
  const s = await t.sessions.load(null);
  await s.login("u1");
  const { token } = await t.sessions.commitHeaders(s);
  return { ...t, token: token! };
}

describe("tokenMode authorization reads the header with the shared Bearer grammar", () => {
  // Regression: session had a Bearer grammar of its own, which took a header
  // that joins another scheme's credentials to Bearer ones for "no session"
  // where @tessera/tokens (RFC 6750 §2.1) calls it malformed.
  it.each([
    ["another scheme joined before", (t: string) => `Basic dXNlcjpwYXNz, Bearer ${t}`],
    ["a tab inside", (t: string) => `Bearer\t${t}`],
  ])("rejects what readBearerToken calls malformed: %s", async (_name, header) => {
    const { sessions, token } = await bearerSession();
    expect(readBearerToken(header(token))).toEqual({ ok: false, reason: "malformed" });
    const s = await sessions.load(header(token));
    expect(s.userId).toBeUndefined();
    expect(s.rejected).toBe("malformed");
  });

  it("agrees with readBearerToken on what carries no Bearer credentials, and on a valid token", async () => {
    const { sessions, token } = await bearerSession();
    for (const header of ["", "Basic dXNlcjpwYXNz", "Bearerabc"]) {
      expect(readBearerToken(header)).toEqual({ ok: false, reason: "missing" });
      const s = await sessions.load(header);
      expect(s.rejected).toBeUndefined();
    }
    expect(readBearerToken(`Bearer ${token}`)).toEqual({ ok: true, token });
    expect((await sessions.load(`Bearer ${token}`)).userId).toBe("u1");
  });
});
