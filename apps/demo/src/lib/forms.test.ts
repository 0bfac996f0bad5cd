import { describe, expect, it } from "vitest";
import { safeNext } from "./forms.js";

describe("safeNext", () => {
  it.each([
    ["/sessions", "/sessions"],
    ["/account/password?x=1", "/account/password?x=1"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/ok\\..\\evil", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["/\tevil", "/"],
    ["", "/"],
    [undefined, "/"],
    [["/a", "/b"], "/"],
    [`/${"a".repeat(300)}`, "/"],
  ])("%j → %j", (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});
