import { describe, expect, it } from "vitest";
import { median, slope } from "./stats.js";

describe("slope", () => {
  it.each([
    [[], 0],
    [[{ x: 0, y: 5 }], 0],
    [
      [
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ],
      2,
    ],
    [
      [
        { x: 0, y: 4 },
        { x: 1, y: 4 },
        { x: 2, y: 4 },
      ],
      0,
    ],
    [
      [
        { x: 0, y: 0 },
        { x: 1, y: 2 },
        { x: 2, y: 0 },
        { x: 3, y: 2 },
      ],
      0.4,
    ],
  ])("%j → %d", (points, expected) => {
    expect(slope(points)).toBeCloseTo(expected, 10);
  });

  it("median of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
