import { describe, expect, it } from "vitest";
import {
  type ConformanceResult,
  conformanceChecks,
  NO_USER_INDEX_REASON,
  runCheck,
  runConformance,
  skipReason,
  summarizeConformance,
} from "../src/conformance/index.js";
import { MemoryStore } from "../src/index.js";
import { withoutUserIndex } from "./fixtures/without-user-index.js";

// Fast settings: the point is what gets reported, not soaking a backend.
// Long enough that a busy machine does not expire an entry before a check touches it.
const options = { ttlMs: 300, concurrency: 4 };

const indexChecks = [
  "user index: listByUser returns exactly the user's live entries",
  "user index: changing an entry's owner moves it between users",
  "user index: deleteByUser deletes all but exceptKey and returns the count",
  "user index: expired entries are neither listed nor counted",
];
const byStatus = (results: ConformanceResult[], status: ConformanceResult["status"]) =>
  results.filter((r) => r.status === status).map((r) => r.name);

describe("a store without the user index", () => {
  it("has the index checks marked as needing the index", () => {
    const marked = conformanceChecks.filter((c) => c.requires === "userIndex").map((c) => c.name);
    expect(marked).toEqual(indexChecks);
  });

  // Bug: the user-index checks returned early on such a store and were reported as passed.
  it("gets the user-index checks reported as skipped, with the reason, not as passed", async () => {
    const results = await runConformance(withoutUserIndex, options);
    expect(byStatus(results, "failed")).toEqual([]);
    expect(byStatus(results, "skipped")).toEqual(indexChecks);
    expect(byStatus(results, "passed")).toHaveLength(conformanceChecks.length - indexChecks.length);
    for (const r of results.filter((r) => r.status === "skipped")) {
      expect(r).toEqual({
        name: r.name,
        status: "skipped",
        ok: true,
        reason: NO_USER_INDEX_REASON,
      });
    }
  });

  it("is told in the summary that revokeUser will not work with it", async () => {
    const summary = summarizeConformance(await runConformance(withoutUserIndex, options));
    const lines = summary.split("\n");
    expect(lines[0]).toBe(
      `${conformanceChecks.length - 4} passed, 0 failed, 4 skipped (of ${conformanceChecks.length} checks)`,
    );
    expect(lines[1]).toBe(`skipped 4: ${NO_USER_INDEX_REASON}`);
    expect(lines[1]).toMatch(/revokeUser, listUserSessions, .* will not work with it$/);
    expect(lines).toHaveLength(2);
  });

  it("gets runCheck's skipped outcome and skipReason, so any framework can mark the test skipped", async () => {
    const check = conformanceChecks.find((c) => c.requires === "userIndex")!;
    await expect(runCheck(check, withoutUserIndex, options)).resolves.toEqual({
      status: "skipped",
      reason: NO_USER_INDEX_REASON,
    });
    expect(skipReason(check, withoutUserIndex())).toBe(NO_USER_INDEX_REASON);
    expect(skipReason(check, new MemoryStore({ sweepIntervalMs: 0 }))).toBeUndefined();
    expect(skipReason(conformanceChecks[0]!, withoutUserIndex())).toBeUndefined();
  });

  it("fails the index checks instead of skipping them when the option userIndex is true", async () => {
    const results = await runConformance(withoutUserIndex, { ...options, userIndex: true });
    expect(byStatus(results, "skipped")).toEqual([]);
    expect(byStatus(results, "failed")).toEqual([
      "user index: declared as both listByUser and deleteByUser, or neither",
      ...indexChecks,
    ]);
    const summary = summarizeConformance(results);
    expect(summary).toContain("failed: user index: declared as both");
    expect(summary).toContain("the option userIndex is true, but the store does not declare");
  });
});

describe("a store with the user index", () => {
  it("runs and passes every check, none skipped", async () => {
    const results = await runConformance(() => new MemoryStore({ sweepIntervalMs: 0 }), options);
    expect(results.map((r) => r.status)).toEqual(conformanceChecks.map(() => "passed"));
    expect(summarizeConformance(results)).toBe(
      `${conformanceChecks.length} passed, 0 failed, 0 skipped (of ${conformanceChecks.length} checks)`,
    );
  });

  it("fails the capability check when the option userIndex is false (its index would go untested)", async () => {
    const check = conformanceChecks.find((c) => c.name.startsWith("user index: declared"))!;
    await expect(
      runCheck(check, () => new MemoryStore({ sweepIntervalMs: 0 }), { userIndex: false }),
    ).rejects.toThrow("the option userIndex is false, but the store declares");
  });

  it("rejects a userIndex option that is not a boolean, naming it", async () => {
    await expect(
      runConformance(() => new MemoryStore(), { userIndex: "yes" as unknown as boolean }),
    ).rejects.toThrow("option userIndex is invalid: yes");
  });
});
