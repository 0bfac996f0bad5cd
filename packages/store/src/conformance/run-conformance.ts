import type { SessionStore } from "../contract.js";
import { MIN_VALUE_BYTES } from "../limits.js";
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
 * describeStore("memcached", factory, { ttlMs: 1200 });
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
   * Per-check timeout in milliseconds (vitest `it` timeout).
   * @default 10000
   */
  timeoutMs?: number;
}

/**
 * Outcome of one check in {@link runConformance}.
 *
 * @example
 * ```ts
 * const failed = results.filter((r) => !r.ok).map((r) => r.name);
 * ```
 */
export type ConformanceResult =
  | { name: string; ok: true }
  | { name: string; ok: false; error: unknown };

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
  };
}

/**
 * Runs one check against a fresh store from `factory`, then cleans up.
 * Resolves when the store conforms; rejects with the failure otherwise.
 *
 * @example
 * ```ts
 * await runCheck(conformanceChecks[0]!, () => new MemoryStore());
 * ```
 */
export async function runCheck(
  check: ConformanceCheck,
  factory: StoreFactory,
  options: ConformanceOptions | ResolvedConformanceOptions = {},
): Promise<void> {
  const resolved = resolveOptions(options);
  const store = await factory();
  const written = new Set<string>();
  const context: CheckContext = createContext(store, resolved, written);
  try {
    await check.run(context);
  } finally {
    // Best effort: a closed store rejects, and a broken store may throw anything.
    for (const key of written) await store.delete(key).catch(() => undefined);
    await store.close?.().catch(() => undefined);
  }
}

/**
 * Runs every check outside any test framework and reports each outcome.
 * Useful to prove a store conforms from a script, or that a broken one does not.
 *
 * @example
 * ```ts
 * const results = await runConformance(() => new MemoryStore());
 * console.log(results.every((r) => r.ok));
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
      await runCheck(check, factory, resolved);
      results.push({ name: check.name, ok: true });
    } catch (error) {
      results.push({ name: check.name, ok: false, error });
    }
  }
  return results;
}
