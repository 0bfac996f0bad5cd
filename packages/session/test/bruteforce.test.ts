/** Many guessed ids from one IP → one bruteforce event per window (OWASP "Session Attacks Detection"). */
import { randomToken, sign } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import { BruteforceDetector } from "../src/lib/bruteforce.js";
import { SEC, setup } from "./helpers.js";

const NAME = "__Host-sid";

describe("brute-force detection: unknown ids counted per IP and window", () => {
  it("100 distinct unknown ids from one IP within 60 s → exactly one event and one hook call", async () => {
    const hook: unknown[] = [];
    const { sessions, keys, events, clock } = setup({ onBruteforce: (info) => hook.push(info) });
    for (let i = 0; i < 150; i++) {
      const forged = sign(randomToken(32), keys, { purpose: "cookie", context: NAME });
      await sessions.load(`${NAME}=${forged}`, { ip: "198.51.100.7" });
      clock.advance(300);
    }
    const found = events.filter((e) => e.type === "bruteforce");
    expect(found).toEqual([
      expect.objectContaining({ type: "bruteforce", ip: "198.51.100.7", count: 100, window: 60 }),
    ]);
    expect(hook).toEqual([{ ip: "198.51.100.7", count: 100, window: 60 }]);
  });

  it("bad signatures and malformed values count; valid sessions and other IPs do not", async () => {
    const { sessions, events, request, jar } = setup({ bruteforce: { threshold: 3, window: 10 } });
    await request((s) => s.set("n", 1));
    for (let i = 0; i < 5; i++) await sessions.load(jar.header(), { ip: "203.0.113.1" });
    await sessions.load(`${NAME}=${randomToken(32)}.k1.${randomToken(32)}`, { ip: "203.0.113.1" });
    await sessions.load(`${NAME}=garbage`, { ip: "203.0.113.2" });
    await sessions.load(`${NAME}=garbage`, { ip: "203.0.113.1" });
    expect(events.some((e) => e.type === "bruteforce")).toBe(false);
    await sessions.load(`${NAME}=also-garbage`, { ip: "203.0.113.1" });
    expect(events.filter((e) => e.type === "bruteforce")).toEqual([
      expect.objectContaining({ ip: "203.0.113.1", count: 3, window: 10 }),
    ]);
  });

  it("a new window can report again; below the threshold per window never reports", async () => {
    const { sessions, events, clock } = setup({ bruteforce: { threshold: 3, window: 10 } });
    const guess = () => sessions.load(`${NAME}=x`, { ip: "192.0.2.9" });
    await guess();
    await guess();
    clock.advance(10 * SEC);
    await guess();
    await guess();
    expect(events.some((e) => e.type === "bruteforce")).toBe(false);
    await guess();
    clock.advance(10 * SEC);
    for (let i = 0; i < 3; i++) await guess();
    expect(events.filter((e) => e.type === "bruteforce")).toHaveLength(2);
  });

  it("without an ip, or with bruteforce:false, nothing is counted", async () => {
    const off = setup({ bruteforce: false });
    const on = setup({ bruteforce: { threshold: 1 } });
    await off.sessions.load(`${NAME}=x`, { ip: "192.0.2.1" });
    await on.sessions.load(`${NAME}=x`);
    expect(off.events.some((e) => e.type === "bruteforce")).toBe(false);
    expect(on.events.some((e) => e.type === "bruteforce")).toBe(false);
  });

  it("memory is bounded: an LRU of maxTracked IPs", () => {
    const d = new BruteforceDetector({ threshold: 2, windowMs: 60_000, maxTracked: 10 });
    for (let i = 0; i < 10_000; i++) d.note("unknown_id", `10.0.${i >> 8}.${i & 255}`, 0);
    expect(d.size).toBe(10);
    // The most recent IP is still tracked: its second guess crosses the threshold.
    expect(d.note("unknown_id", "10.0.39.15", 1)).toBe(2);
  });

  it("a throwing hook does not fail the request; bad options are refused", async () => {
    const { sessions } = setup({
      bruteforce: { threshold: 1 },
      onBruteforce: () => {
        throw new Error("sink down");
      },
    });
    await expect(sessions.load(`${NAME}=x`, { ip: "192.0.2.1" })).resolves.toBeDefined();
    expect(() => setup({ bruteforce: { threshold: 0 } })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
    expect(() => setup({ onBruteforce: 1 as unknown as () => void })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });
});
