// The one module of the package that imports vitest; the framework-free
// entry (./index.ts) must never import this file.
import { describe, it } from "vitest";
import { conformanceChecks, USER_INDEX_DECLARED } from "./checks.js";
import {
  type ConformanceOptions,
  resolveOptions,
  runCheck,
  type StoreFactory,
} from "./run-conformance.js";

/**
 * Registers the store contract's test suite in the calling vitest file: one
 * `it` per check, each against a fresh store from `factory`. Uses the real
 * clock, so do not enable fake timers around it.
 *
 * On a store without the per-user index, the checks that need it are marked
 * skipped with the reason (vitest's `context.skip(note)`), never passed. A
 * project that treats skipped tests as failures passes `userIndex: false`:
 * those checks are then not registered, the capability test checks the index
 * is indeed absent, and its title says what that costs.
 *
 * @example
 * ```ts
 * import { describeStore } from "@tessera/store/conformance/vitest";
 * import { MyStore } from "../src/my-store.js";
 *
 * describeStore("MyStore", () => new MyStore({ url: "redis://127.0.0.1:6379" }));
 * ```
 */
export function describeStore(
  name: string,
  factory: StoreFactory,
  options: ConformanceOptions = {},
): void {
  const resolved = resolveOptions(options);
  const leftOut = conformanceChecks.filter((c) => c.requires === "userIndex");
  describe(name, () => {
    for (const check of conformanceChecks) {
      if (resolved.userIndex === false && check.requires === "userIndex") continue;
      const title =
        resolved.userIndex === false && check.name === USER_INDEX_DECLARED
          ? `${check.name} (declared absent: ${leftOut.length} user-index checks not run; revokeUser, listUserSessions, revokeUserSession and maxSessionsPerUser will not work with this store)`
          : check.name;
      it(
        title,
        async (context) => {
          const outcome = await runCheck(check, factory, resolved);
          if (outcome.status === "skipped") context.skip(outcome.reason);
        },
        resolved.timeoutMs,
      );
    }
  });
}

// Everything of the framework-free entry, so a vitest file needs one import.
export * from "./index.js";
