// The framework-free entry: it imports no test framework, so it loads under
// node:test, jest, mocha, Deno, Bun and from CommonJS. The vitest helper
// lives in `@tessera/store/conformance/vitest` (./vitest.ts).
export type { ConformanceCapability, ConformanceCheck } from "./checks.js";
export { ConformanceError, conformanceChecks } from "./checks.js";
export type { CheckContext, ResolvedConformanceOptions } from "./lib/context.js";
export { randomKey, randomUserId } from "./random.js";
export type {
  CheckOutcome,
  ConformanceOptions,
  ConformanceResult,
  StoreFactory,
} from "./run-conformance.js";
export {
  NO_USER_INDEX_REASON,
  runCheck,
  runConformance,
  skipReason,
  summarizeConformance,
} from "./run-conformance.js";
