import { describe, expect, it } from "vitest";
import { Jar, setup } from "./helpers.js";

const NAME = "__Host-sid";

/** Two sessions of one manager: the victim's and the attacker's own, as cookie jars. */
async function twoSessions(stateless: boolean, blob = "") {
  const env = setup(stateless ? { maxCookieSize: 16_384 } : {}, stateless);
  await env.request((s) => s.set("role", "victim"));
  const victim = env.jar.clone();
  const attacker = new Jar();
  await env.request((s) => {
    s.set("role", "attacker");
    if (blob !== "") s.set("blob", blob);
  }, attacker);
  return { ...env, victim: victim.header(), attacker: attacker.header() };
}

const padding = (bytes: number) => `pad=${"x".repeat(bytes)}`;
const smallCookies = (n: number) => Array.from({ length: n }, (_, i) => `c${i}=${i}`).join("; ");

// Regression: the session cookie was read with the parser's 8 KiB / 200-pair limits, so an
// attacker's cookie placed first and padded past them was accepted without `duplicate_cookie`.
describe("the session cookie's name is searched in the whole Cookie header", () => {
  describe.each([
    ["stateful", false],
    ["stateless", true],
  ])("%s", (_, stateless) => {
    it.each([
      ["a 9 KB cookie", () => padding(9000)],
      ["a 21 KB cookie", () => padding(21_000)],
      ["200 small cookies", () => smallCookies(200)],
      ["1,500 small cookies", () => smallCookies(1500)],
    ])("attacker first, %s, victim last → duplicate_cookie", async (_label, pad) => {
      const { sessions, victim, attacker, events } = await twoSessions(stateless);
      const s = await sessions.load(`${attacker}; ${pad()}; ${victim}`);
      expect(s.get("role")).toBeUndefined();
      expect(s.rejected).toBe("duplicate_cookie");
      expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "duplicate_cookie" });
    });

    it("the victim's cookie alone, after the padding, still loads", async () => {
      const { sessions, victim } = await twoSessions(stateless);
      const s = await sessions.load(`${smallCookies(1500)}; ${victim}`);
      expect(s.rejected).toBeUndefined();
      expect(s.get("role")).toBe("victim");
    });
  });

  it("a second chunk of the session anywhere in the header is a duplicate (stateless)", async () => {
    // The attacker's session is chunked; the victim's plain cookie comes after the padding.
    const { sessions, victim, attacker } = await twoSessions(true, "a".repeat(5000));
    expect(attacker).toContain(`${NAME}.1=`);
    const chunk1 = attacker.split("; ").find((pair) => pair.startsWith(`${NAME}.1=`))!;
    const s = await sessions.load(`${attacker}; ${smallCookies(300)}; ${chunk1}`);
    expect(s.rejected).toBe("duplicate_cookie");
    const plain = await sessions.load(`${attacker}; ${smallCookies(300)}; ${victim}`);
    expect(plain.rejected).not.toBeUndefined();
    expect(plain.get("role")).toBeUndefined();
  });

  it.each([
    ["stateful", false],
    ["stateless", true],
  ])(
    "%s: a header too long to search is no session, never the first value",
    async (_, stateless) => {
      const { sessions, victim, attacker, events } = await twoSessions(stateless);
      // Longer than maxCookieSize + 16 KiB: the victim's cookie lies beyond what is searched.
      const s = await sessions.load(`${attacker}; ${padding(40_000)}; ${victim}`);
      expect(s.get("role")).toBeUndefined();
      expect(s.rejected).toBe("header_too_large");
      expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "header_too_large" });
      // The session's own cookies seen in the searched part are cleared, so the header shrinks.
      const lines = await sessions.commit(s);
      expect(lines.some((line) => line.startsWith(`${NAME}`) && line.includes("Max-Age=0"))).toBe(
        true,
      );
    },
  );
});
