import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RELATIVE_EXPTIME, toExptime } from "../src/lib/exptime.js";

const NOW = 1_790_000_000_000; // a fixed instant in 2026, epoch ms
const DAY = 86_400_000;

describe("toExptime", () => {
  it.each([
    ["1 ms ahead", 1, 2],
    ["999 ms ahead", 999, 2],
    ["1 s ahead", 1000, 2],
    ["1.001 s ahead", 1001, 3],
    ["30 minutes ahead", 1_800_000, 1801],
    ["29 days 23:59:59 ahead", 30 * DAY - 1000, MAX_RELATIVE_EXPTIME],
  ])("%s is relative seconds, rounded up plus one", (_label, ahead, expected) => {
    expect(toExptime(NOW + ahead, NOW)).toBe(expected);
  });

  // Regression: a 60-day TTL sent as relative 5184000 is read by memcached
  // as a Unix time in 1970, so the item would die at once.
  it("sends an absolute Unix time beyond 30 days (60 days -> now + 5,184,000 s)", () => {
    const exptime = toExptime(NOW + 60 * DAY, NOW);
    expect(exptime).not.toBe(5_184_000);
    expect(exptime).toBe(NOW / 1000 + 5_184_000 + 1);
  });

  it("switches to absolute exactly past 30 days", () => {
    expect(toExptime(NOW + 30 * DAY, NOW)).toBe(NOW / 1000 + 30 * 86_400 + 1);
  });

  it("caps absolute times at the server's signed 32-bit clock", () => {
    expect(toExptime(Number.MAX_SAFE_INTEGER, NOW)).toBe(2_147_483_647);
  });

  it("never returns 0 (no expiry) and never lets the item die before expiresAt", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
        fc.integer({ min: 1, max: 400 * DAY }),
        (now, ahead) => {
          const exptime = toExptime(now + ahead, now);
          expect(exptime).toBeGreaterThanOrEqual(2);
          // The server's clock may lag ours by up to a second.
          const diesAt =
            exptime <= MAX_RELATIVE_EXPTIME
              ? (Math.floor(now / 1000) + exptime) * 1000
              : exptime * 1000;
          expect(diesAt).toBeGreaterThanOrEqual(now + ahead);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
