export type { ConformanceCheck } from "./checks.js";
export { ConformanceError, conformanceChecks } from "./checks.js";
export { describeStore } from "./describe-store.js";
export type { CheckContext, ResolvedConformanceOptions } from "./lib/context.js";
export { randomKey, randomUserId } from "./random.js";
export type { ConformanceOptions, ConformanceResult, StoreFactory } from "./run-conformance.js";
export { runCheck, runConformance } from "./run-conformance.js";
