import { describe, it } from "vitest";
import { conformanceChecks } from "./checks.js";
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
 * @example
 * ```ts
 * import { describeStore } from "@tessera/store/conformance";
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
  describe(name, () => {
    for (const check of conformanceChecks) {
      it(check.name, () => runCheck(check, factory, resolved), resolved.timeoutMs);
    }
  });
}
