import { describe, expect, it } from "vitest";
import { StoreError } from "../src/errors.js";
import { MAX_USER_ID_LENGTH } from "../src/limits.js";
import { userIdProblem, validateUserId } from "../src/validate.js";

describe("validateUserId", () => {
  it.each([
    ["ASCII", "user-42"],
    ["emoji (a well-formed surrogate pair)", "🍪-é-中"],
    ["the longest allowed", "u".repeat(MAX_USER_ID_LENGTH)],
    ["U+FFFD itself", "\uFFFD"],
  ])("accepts %s", (_, userId) => {
    expect(validateUserId(userId)).toBe(userId);
    expect(userIdProblem(userId)).toBeUndefined();
  });

  // Regression: networked stores turned lone surrogates into U+FFFD, so two
  // users such as "a\uD800" and "a\uDC00" shared one per-user index.
  it.each([
    ["a lone high surrogate", "a\uD800"],
    ["a lone low surrogate", "a\uDC00"],
    ["a high surrogate followed by a letter", "\uD83Dx"],
    ["a reversed pair", "\uDC36\uD83D"],
    ["half of a pair cut off by a slice", "🍪".slice(0, 1)],
  ])("refuses %s with ERR_STORE_INVALID_USER_ID", (_, userId) => {
    expect(userIdProblem(userId)).toBe("well-formed Unicode (no lone surrogates)");
    const error = (() => {
      try {
        validateUserId(userId);
      } catch (caught) {
        return caught;
      }
    })();
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as StoreError).code).toBe("ERR_STORE_INVALID_USER_ID");
    expect((error as StoreError).message).toMatch(/userId is invalid: .*well-formed Unicode/);
  });

  it.each([[""], ["u".repeat(MAX_USER_ID_LENGTH + 1)], [42], [undefined]])(
    "refuses %j as not a string of 1-255 characters",
    (userId) => {
      expect(userIdProblem(userId)).toBe(`a string of 1-${MAX_USER_ID_LENGTH} characters`);
      expect(() => validateUserId(userId as string)).toThrow(/ERR_STORE_INVALID_USER_ID|userId/);
    },
  );
});
