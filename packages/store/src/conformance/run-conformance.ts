import type { SessionStore } from "../contract.js";
import { MIN_VALUE_BYTES } from "../limits.js";
import { supportsUserIndex } from "../supports-user-index.js";
import type { ConformanceCheck } from "./checks.js";
import { conformanceChecks } from "./checks.js";
import {
  type CheckContext,
  createContext,
  type ResolvedConformanceOptions,
} from "./lib/context.js";

/**
 * Makes a fresh, usable store. Called once per check; the suite deletes the
 * keys the check wrote and then calls the store's `close()` if it has one, so
 * a factory over a shared client should return a store whose `close()` does
 * not end that client (or create a client per call).
 *
 * @example
 * ```ts
 * const factory: StoreFactory = () => new MemoryStore();
 * ```
 */
export type StoreFactory = () => SessionStore | Promise<SessionStore>;

/**
 * Tunes the suite to a backend. Timing checks use the real clock: keep
 * `ttlMs` short for a fast suite, longer for a backend with coarse TTLs.
 *
 * @example
 * ```ts
 * // Memcached: TTLs in whole seconds, so give short-lived entries at least one second.
 * await runConformance(factory, { ttlMs: 1200, userIndex: true });
 * ```
 */
export interface ConformanceOptions {
  /**
   * Lifetime in milliseconds of the short-lived entries written by the expiry
   * and touch checks; those checks take about 1x, 1x and 3x this long.
   * @default 300
   */
  ttlMs?: number;
  /**
   * Extra milliseconds to wait after an `expiresAt` before asserting the entry
   * is gone. The contract is exact (a store filters by `expiresAt` on read), so
   * keep 0 unless the store's clock differs from this process's.
   * @default 0
   */
  expiryToleranceMs?: number;
  /**
   * Largest value tested, in UTF-8 bytes; the contract requires at least 64 KiB.
   * @default 65536
   */
  maxValueBytes?: number;
  /**
   * Number of parallel writers in the concurrency checks.
   * @default 10
   */
  concurrency?: number;
  /**
   * Per-check timeout in milliseconds, for the test framework (`describeStore`
   * gives it to vitest's `it`); `runConformance` does not enforce it.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Whether the store has the per-user index (`listByUser` and
   * `deleteByUser`). `true`: a store without it fails. `false`: a store with
   * it fails, and `describeStore` leaves the index checks out instead of
   * reporting them as skipped. Unset: either is accepted, and on a store
   * without the index the checks that need it are skipped, with the reason.
   * @default undefined
   */
  userIndex?: boolean;
}

/**
 * Outcome of one check in {@link runConformance}. `status` tells the three
 * apart; `ok` is `false` only for a failure, since a skipped check needs an
 * optional capability the store does not have (a skip is not a pass: read
 * `status` before saying a check passed).
 *
 * @example
 * ```ts
 * const failed = results.filter((r) => r.status === "failed").map((r) => r.name);
 * ```
 */
export type ConformanceResult =
  | { name: string; status: "passed"; ok: true }
  | { name: string; status: "failed"; ok: false; error: unknown }
  | { name: string; status: "skipped"; ok: true; reason: string };

/**
 * What {@link runCheck} resolves to when the store did not fail the check.
 *
 * @example
 * ```ts
 * const outcome = await runCheck(check, factory);
 * if (outcome.status === "skipped") console.log(`${check.name}: ${outcome.reason}`);
 * ```
 */
export type CheckOutcome = { status: "passed" } | { status: "skipped"; reason: string };

/** Why the user-index checks are skipped; names what the missing index costs. */
export const NO_USER_INDEX_REASON =
  "the store has no per-user index (listByUser and deleteByUser), so revokeUser, " +
  "listUserSessions, revokeUserSession and maxSessionsPerUser will not work with it";

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`option ${name} is invalid: ${String(value)}`);
  }
  return value;
}

/** @internal Applies defaults; throws naming the bad option. */
export function resolveOptions(options: ConformanceOptions = {}): ResolvedConformanceOptions {
  return {
    ttlMs: positive("ttlMs", options.ttlMs, 300, 20),
    expiryToleranceMs: positive("expiryToleranceMs", options.expiryToleranceMs, 0, 0),
    maxValueBytes: positive("maxValueBytes", options.maxValueBytes, MIN_VALUE_BYTES, 16),
    concurrency: positive("concurrency", options.concurrency, 10, 2),
    timeoutMs: positive("timeoutMs", options.timeoutMs, 10_000),
    userIndex: optionalBoolean("userIndex", options.userIndex),
  };
}

function optionalBoolean(name: string, value: boolean | undefined): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`option ${name} is invalid: ${String(value)} (expected true or false)`);
  }
  return value;
}

/**
 * Why `check` cannot run on `store`, or `undefined` when it can: a check that
 * needs the per-user index is skipped on a store without one, unless the
 * option `userIndex` is `true` (then it runs and fails). For frameworks that
 * decide skips before running (jest's `test.skip`).
 *
 * @example
 * ```ts
 * const reason = skipReason(check, new MyStore());
 * (reason === undefined ? test : test.skip)(check.name, () => runCheck(check, factory));
 * ```
 */
export function skipReason(
  check: ConformanceCheck,
  store: SessionStore,
  options: ConformanceOptions | ResolvedConformanceOptions = {},
): string | undefined {
  if (check.requires !== "userIndex" || supportsUserIndex(store)) return undefined;
  return options.userIndex === true ? undefined : NO_USER_INDEX_REASON;
}

/**
 * Runs one check against a fresh store from `factory`, then cleans up.
 * Resolves to `{ status: "passed" }`, or to `{ status: "skipped", reason }`
 * when the store lacks the optional capability the check needs (see
 * {@link skipReason}); rejects with the failure otherwise. Register one test
 * per check with it in any framework and mark the skipped ones as skipped.
 *
 * @example
 * ```ts
 * // node:test
 * for (const check of conformanceChecks) {
 *   test(check.name, async (t) => {
 *     const outcome = await runCheck(check, () => new MemoryStore());
 *     if (outcome.status === "skipped") t.skip(outcome.reason);
 *   });
 * }
 * ```
 */
export async function runCheck(
  check: ConformanceCheck,
  factory: StoreFactory,
  options: ConformanceOptions | ResolvedConformanceOptions = {},
): Promise<CheckOutcome> {
  const resolved = resolveOptions(options);
  const store = await factory();
  const written = new Set<string>();
  const context: CheckContext = createContext(store, resolved, written);
  try {
    const reason = skipReason(check, store, resolved);
    if (reason !== undefined) return { status: "skipped", reason };
    await check.run(context);
    return { status: "passed" };
  } finally {
    // Best effort: a closed store rejects, and a broken store may throw anything.
    for (const key of written) await store.delete(key).catch(() => undefined);
    await store.close?.().catch(() => undefined);
  }
}

/**
 * Runs every check outside any test framework and reports each outcome as
 * passed, failed or skipped (in the order of `conformanceChecks`). Useful to
 * prove a store conforms from a script, or that a broken one does not.
 *
 * @example
 * ```ts
 * const results = await runConformance(() => new MemoryStore());
 * console.log(summarizeConformance(results));
 * if (results.some((r) => r.status === "failed")) throw new Error("the store does not conform");
 * ```
 */
export async function runConformance(
  factory: StoreFactory,
  options: ConformanceOptions = {},
): Promise<ConformanceResult[]> {
  const resolved = resolveOptions(options);
  const results: ConformanceResult[] = [];
  for (const check of conformanceChecks) {
    try {
      const outcome = await runCheck(check, factory, resolved);
      results.push(
        outcome.status === "passed"
          ? { name: check.name, status: "passed", ok: true }
          : { name: check.name, status: "skipped", ok: true, reason: outcome.reason },
      );
    } catch (error) {
      results.push({ name: check.name, status: "failed", ok: false, error });
    }
  }
  return results;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A plain-text report of {@link runConformance}'s results: the counts, each
 * skip reason once (with what it costs, e.g. that `revokeUser` will not work
 * with a store without the user index) and each failure with its message.
 *
 * @example
 * ```ts
 * console.log(summarizeConformance(await runConformance(factory)));
 * // 41 passed, 0 failed, 4 skipped (of 45 checks)
 * // skipped 4: the store has no per-user index (listByUser and deleteByUser), so revokeUser, ...
 * ```
 */
export function summarizeConformance(results: readonly ConformanceResult[]): string {
  const count = (status: ConformanceResult["status"]) =>
    results.filter((r) => r.status === status).length;
  const lines = [
    `${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped (of ${results.length} checks)`,
  ];
  const skipped = new Map<string, number>();
  for (const r of results) {
    if (r.status === "skipped") skipped.set(r.reason, (skipped.get(r.reason) ?? 0) + 1);
  }
  for (const [reason, n] of skipped) lines.push(`skipped ${n}: ${reason}`);
  for (const r of results) {
    if (r.status === "failed") lines.push(`failed: ${r.name}: ${message(r.error)}`);
  }
  return lines.join("\n");
}
