import { describe, expect, it } from "vitest";
import { conformanceChecks, runCheck, runConformance } from "../src/conformance/index.js";
import { type Fault, FaultyStore } from "./fixtures/faulty-store.js";

// Fast settings: these runs exist to show failures, not to soak a backend.
const options = { ttlMs: 60, concurrency: 6 };

function checkNamed(prefix: string) {
  const found = conformanceChecks.find((c) => c.name.startsWith(prefix));
  if (found === undefined) throw new Error(`no check named ${prefix}`);
  return found;
}

describe("the conformance suite catches broken stores", () => {
  it("passes the fixture store when it has no fault (so each failure below is the fault's)", async () => {
    const results = await runConformance(() => new FaultyStore(), options);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(conformanceChecks.length);
  });

  it.each<[Fault, string]>([
    ["ignoresExpectVersion", "versions: a matching expectVersion"],
    ["ignoresExpectVersion", "concurrency: parallel versioned writes"],
    ["createOnlyOverwrites", "versions: expectVersion 0 creates only"],
    ["createOnlyOverwrites", "concurrency: parallel creates"],
    ["nonAtomicCompareAndSet", "concurrency: parallel versioned writes"],
    ["nonAtomicCompareAndSet", "concurrency: parallel creates"],
    ["returnsExpired", "expiry: an entry is never returned"],
    ["listByUserIgnoresUser", "user index: listByUser returns exactly"],
    ["listsExpired", "user index: expired entries are neither listed"],
    ["deleteByUserIgnoresExcept", "user index: deleteByUser deletes all but exceptKey"],
    ["touchBumpsVersion", "touch: extends expiry without changing"],
    ["touchBumpsVersion", "versions: a matching expectVersion"],
    ["touchCreatesMissing", "touch: on a missing key is a no-op"],
    ["touchIgnored", "touch: can shorten expiry"],
    ["returnsLiveReference", "get: returns a copy"],
    ["storesPastExpiryForever", "set: expiresAt at or before now deletes"],
    ["caseInsensitiveKeys", "keys: are case-sensitive"],
    ["truncatesLargeValues", "values: a value of maxValueBytes"],
    ["stripsNul", "values: Unicode, NUL"],
    ["skipsValidation", "validation: bad keys"],
    ["skipsValidation", "validation: user ids that are not well-formed"],
    ["throwsSynchronously", "validation: bad keys"],
    ["usableAfterClose", "close: every method rejects"],
    ["onlyListByUser", "user index: declared as both"],
    ["versionNotReset", "delete: removes the entry"],
    ["nullUserId", "set/get: an entry without userId"],
  ])("a store that %s fails %s…", async (fault, prefix) => {
    const check = checkNamed(prefix);
    const outcome = await runCheck(check, () => new FaultyStore(fault), options).then(
      () => "passed",
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).name).toBe("ConformanceError");
  });
});
