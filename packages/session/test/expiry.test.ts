import { describe, expect, it } from "vitest";
import {
  checkExpiry,
  expiresAt,
  MAX_CLOCK_SKEW_MS,
  maxAgeSeconds,
  type Timeouts,
} from "../src/lib/expiry.js";
import { emptyBag, type SessionRecord } from "../src/lib/record.js";

const MIN = 60_000;
const t: Timeouts = { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN, touchAfterMs: MIN };
const T0 = 1_767_225_600_000;
const rec = (lastSeenAt = T0, createdAt = T0): SessionRecord => ({
  v: 1,
  createdAt,
  lastSeenAt,
  data: emptyBag(),
});

describe("checkExpiry", () => {
  it.each([
    ["idle 29:59", rec(), T0 + 30 * MIN - 1000, null],
    ["idle 30:00", rec(), T0 + 30 * MIN, "expired_idle"],
    ["absolute 11:59:59", rec(T0 + 12 * 60 * MIN - 60_000), T0 + 12 * 60 * MIN - 1000, null],
    [
      "absolute 12:00:01",
      rec(T0 + 12 * 60 * MIN - 60_000),
      T0 + 12 * 60 * MIN + 1000,
      "expired_absolute",
    ],
    [
      "createdAt from the future (beyond the allowed clock skew)",
      rec(T0, T0 + MAX_CLOCK_SKEW_MS + 1),
      T0,
      "malformed",
    ],
  ])("%s", (_, record, now, verdict) => {
    expect(checkExpiry(record, now, t)).toBe(verdict);
  });

  it("counts a store touch as activity", () => {
    const record = rec();
    const touchedExpiry = T0 + 20 * MIN + t.idleMs;
    expect(checkExpiry(record, T0 + 45 * MIN, t)).toBe("expired_idle");
    expect(checkExpiry(record, T0 + 45 * MIN, t, touchedExpiry)).toBeNull();
  });

  it("a clock moved back never extends the absolute deadline", () => {
    const record = rec(T0 + 11 * 60 * MIN);
    expect(checkExpiry(record, T0 + 12 * 60 * MIN + 1, t)).toBe("expired_absolute");
    expect(expiresAt(record, T0 + 11 * 60 * MIN + 50 * MIN, t)).toBe(T0 + 12 * 60 * MIN);
  });
});

describe("expiresAt / maxAgeSeconds", () => {
  it("is min(idle deadline, absolute deadline)", () => {
    const now = T0 + 11 * 60 * MIN + 55 * MIN;
    const deadline = expiresAt(rec(), now, t);
    expect(maxAgeSeconds(deadline, now)).toBe(300);
  });
  it("is the idle deadline early in the session", () => {
    expect(expiresAt(rec(), T0 + MIN, t)).toBe(T0 + 31 * MIN);
  });
});
