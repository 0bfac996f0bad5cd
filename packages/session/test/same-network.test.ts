import { describe, expect, it } from "vitest";
import { sameNetwork } from "../src/lib/binding.js";

describe("sameNetwork", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7", true],
    ["203.0.113.7", "203.0.1.1", true],
    ["203.0.113.7", "203.1.113.7", false],
    ["2001:db8:1::1", "2001:db8:1:ffff::2", true],
    ["2001:db8:1::1", "2001:db8:2::1", false],
    ["203.0.113.7", "2001:db8::1", false],
  ])("%s ~ %s → %s", (a, b, expected) => {
    expect(sameNetwork(a, b)).toBe(expected);
  });
});
