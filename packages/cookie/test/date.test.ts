import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatImfFixdate, parseCookieDate } from "../src/lib/date.js";

const MIN = Date.UTC(1601, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe("formatImfFixdate", () => {
  it.each([
    [0, "Thu, 01 Jan 1970 00:00:00 GMT"],
    [Date.UTC(2000, 11, 24, 10, 30, 59, 900), "Sun, 24 Dec 2000 10:30:59 GMT"],
    [Date.UTC(2000, 1, 29), "Tue, 29 Feb 2000 00:00:00 GMT"],
    [-1, "Wed, 31 Dec 1969 23:59:59 GMT"],
    [MIN, "Mon, 01 Jan 1601 00:00:00 GMT"],
    [MAX, "Fri, 31 Dec 9999 23:59:59 GMT"],
  ])("%d → %s", (ms, expected) => {
    expect(formatImfFixdate(ms)).toBe(expected);
  });

  it("matches Date#toUTCString for every instant 1601..9999 and parses back", () => {
    fc.assert(
      fc.property(fc.double({ min: MIN, max: MAX, noNaN: true }), (ms) => {
        const text = formatImfFixdate(ms);
        expect(text).toBe(new Date(ms).toUTCString());
        expect(parseCookieDate(text)).toBe(Math.floor(Math.trunc(ms) / 1000) * 1000 + 0);
      }),
      { numRuns: 3000 },
    );
  });
});
