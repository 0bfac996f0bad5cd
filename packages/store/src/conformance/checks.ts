import { supportsUserIndex } from "../supports-user-index.js";
import { entryChecks } from "./checks/entries.js";
import { inputChecks } from "./checks/inputs.js";
import { userIndexChecks } from "./checks/user-index.js";
import { versionChecks } from "./checks/versions.js";
import { ConformanceError, rejectsWith } from "./lib/assert.js";
import { type ConformanceCheck, check, later } from "./lib/define.js";

export type { ConformanceCapability, ConformanceCheck } from "./lib/define.js";
export { USER_INDEX_DECLARED } from "./lib/define.js";

/**
 * Every check of the store contract, in the order `describeStore` runs them.
 *
 * @example
 * ```ts
 * console.log(conformanceChecks.map((c) => c.name).join("\n"));
 * ```
 */
export const conformanceChecks: readonly ConformanceCheck[] = Object.freeze([
  ...entryChecks,
  ...versionChecks,
  ...inputChecks,
  ...userIndexChecks,
  check(
    "close: every method rejects with StoreClosedError afterwards; close is idempotent",
    async (c) => {
      const s = c.store;
      if (s.close === undefined) return;
      const k = c.key();
      await s.set(k, { value: "v", expiresAt: later() });
      await s.close();
      await s.close();
      const code = "ERR_STORE_CLOSED";
      await rejectsWith(() => s.get(k), code, "get after close");
      await rejectsWith(
        () => s.set(k, { value: "v", expiresAt: later() }),
        code,
        "set after close",
      );
      await rejectsWith(() => s.touch(k, later()), code, "touch after close");
      await rejectsWith(() => s.delete(k), code, "delete after close");
      if (supportsUserIndex(s)) {
        await rejectsWith(() => s.listByUser("u"), code, "listByUser after close");
        await rejectsWith(() => s.deleteByUser("u"), code, "deleteByUser after close");
      }
    },
  ),
]);

export { ConformanceError };
