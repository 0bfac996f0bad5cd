import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

describe("the manager's per-user methods", () => {
  // Regression: after the backend split, revokeUser with null options threw synchronously.
  it.each([
    ["revokeUser with null options", (s: Sessions) => s.revokeUser("u1", null as never)],
    ["revokeUser with a bad user id", (s: Sessions) => s.revokeUser(42 as never)],
    ["listUserSessions with a bad user id", (s: Sessions) => s.listUserSessions(42 as never)],
    [
      "revokeUserSession with a bad user id",
      (s: Sessions) => s.revokeUserSession(42 as never, "x"),
    ],
  ])("%s: rejects, never throws synchronously", async (_name, call) => {
    const { sessions } = setup();
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = call(sessions);
    }).not.toThrow();
    await expect(result).rejects.toBeInstanceOf(Error);
  });
});

type Sessions = ReturnType<typeof setup>["sessions"];
