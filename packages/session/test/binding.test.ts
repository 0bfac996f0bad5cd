/**
 * Binding policy: a changed user-agent family or network is reported as a
 * binding_changed event (logged by default, revoked on request), as OWASP's
 * "Session Attacks Detection" suggests.
 */
import { describe, expect, it } from "vitest";
import { network, sameNetwork, userAgentFamily } from "../src/lib/binding.js";
import { expectEvent, setup } from "./helpers.js";

const CHROME_WIN_120 =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const CHROME_WIN_131 = CHROME_WIN_120.replace("120.0.0.0", "131.0.6778.86");
const EDGE_WIN =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
const SAFARI_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15";

describe("userAgentFamily", () => {
  it.each([
    [CHROME_WIN_120, "chrome/windows"],
    [EDGE_WIN, "edge/windows"],
    [FIREFOX_LINUX, "firefox/linux"],
    [SAFARI_IPHONE, "safari/ios"],
    [SAFARI_MAC, "safari/mac"],
    ["curl/8.5.0", "curl/"],
    ["", "/"],
  ])("%s → %s", (ua, family) => {
    expect(userAgentFamily(ua)).toBe(family);
  });

  it("a browser update keeps the family", () => {
    expect(userAgentFamily(CHROME_WIN_131)).toBe(userAgentFamily(CHROME_WIN_120));
  });
});

describe("network (IPv4 /16, IPv6 /48)", () => {
  it.each([
    ["203.0.113.7", "203.0"],
    ["2001:db8:1::1", "8193:3512:1"],
    ["2001:0db8:0001:ffff::2", "8193:3512:1"],
    ["::ffff:203.0.113.7", "203.0"],
    ["::1", "0:0:0"],
    ["fe80::1%eth0", "65152:0:0"],
    ["not an ip", "not an ip"],
  ])("%s → %s", (ip, net) => {
    expect(network(ip)).toBe(net);
  });

  it.each([
    ["2001:db8::1", "2001:db8:0:1::1", true],
    ["2001:db8::1", "2001:db9::1", false],
    ["::ffff:203.0.113.7", "203.0.9.9", true],
  ])("%s ~ %s → %s", (a, b, same) => {
    expect(sameNetwork(a, b)).toBe(same);
  });
});

async function loggedIn(options: Parameters<typeof setup>[0]) {
  const t = setup(options);
  const s = await t.sessions.load("", { userAgent: CHROME_WIN_120, ip: "203.0.113.7" });
  await s.login("u1");
  const cookie = (await t.sessions.commit(s))[0]!.split(";")[0]!;
  const key = (s as unknown as { key: string }).key;
  return { ...t, cookie, key };
}

describe("binding policy: a changed user agent or network is reported, and revoked only on request", () => {
  it("log (default): a browser update or the same /16 is not a change", async () => {
    const { sessions, events, cookie } = await loggedIn({});
    const s = await sessions.load(cookie, { userAgent: CHROME_WIN_131, ip: "203.0.1.2" });
    expect(s.userId).toBe("u1");
    expect(events.some((e) => e.type === "binding_changed")).toBe(false);
  });

  it("log: another family and network → binding_changed (hashed id), session kept", async () => {
    const { sessions, events, cookie, key } = await loggedIn({});
    const s = await sessions.load(cookie, { userAgent: FIREFOX_LINUX, ip: "198.51.100.9" });
    expect(s.userId).toBe("u1");
    expect(s.rejected).toBeUndefined();
    expectEvent(events, {
      type: "binding_changed",
      session: key,
      changed: ["userAgent", "ip"],
    });
  });

  it("revoke: the session is destroyed, a fresh one is returned, the cookie is cleared", async () => {
    const { sessions, events, cookie, key, spy } = await loggedIn({ binding: "revoke" });
    const s = await sessions.load(cookie, { userAgent: CHROME_WIN_120, ip: "198.51.100.9" });
    expect(s.userId).toBeUndefined();
    expect(s.rejected).toBe("binding_changed");
    expect(await spy.inner.get(key)).toBeNull();
    expectEvent(events, { type: "binding_changed", changed: ["ip"] });
    expectEvent(events, { type: "destroyed", session: key, reason: "revoked" });
    expectEvent(events, { type: "rejected", reason: "binding_changed", session: key });
    const lines = await sessions.commit(s);
    expect(lines[0]).toMatch(/Max-Age=0/);
    // The legitimate client is logged out too: the stolen cookie is dead for everyone.
    const back = await sessions.load(cookie, { userAgent: CHROME_WIN_120, ip: "203.0.113.7" });
    expect(back.userId).toBeUndefined();
  });

  it("revoke: the same client keeps its session", async () => {
    const { sessions, cookie } = await loggedIn({ binding: "revoke" });
    const s = await sessions.load(cookie, { userAgent: CHROME_WIN_131, ip: "203.0.200.1" });
    expect(s.userId).toBe("u1");
  });

  it("off: no event, session kept; missing metadata is never a change", async () => {
    const { sessions, events, cookie } = await loggedIn({ binding: "off" });
    const s = await sessions.load(cookie, { userAgent: FIREFOX_LINUX, ip: "198.51.100.9" });
    expect(s.userId).toBe("u1");
    expect(events.some((e) => e.type === "binding_changed")).toBe(false);
    const r = await loggedIn({ binding: "revoke" });
    expect((await r.sessions.load(r.cookie)).userId).toBe("u1");
  });

  it("rejects an unknown policy", () => {
    expect(() => setup({ binding: "block" as "log" })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });
});
