import type { SessionStore } from "../../contract.js";
import { randomKey, randomUserId } from "../random.js";

/** Options of the conformance suite after defaults. */
export interface ResolvedConformanceOptions {
  ttlMs: number;
  expiryToleranceMs: number;
  maxValueBytes: number;
  concurrency: number;
  timeoutMs: number;
  /** Whether the store must have the per-user index; `undefined` accepts either. */
  userIndex?: boolean;
}

/** What a check receives: a fresh store and helpers that track what it wrote. */
export interface CheckContext {
  readonly store: SessionStore;
  readonly options: ResolvedConformanceOptions;
  /** A fresh random key, deleted after the check. */
  key(): string;
  /** Registers a hand-made key for deletion after the check. */
  track(key: string): string;
  /** A fresh random user id. */
  userId(): string;
  /** Real-clock instant `ms` from now. */
  inMs(ms: number): number;
  /** Waits (real time) until `Date.now() >= instant`. */
  sleepUntil(instant: number): Promise<void>;
}

export function createContext(
  store: SessionStore,
  options: ResolvedConformanceOptions,
  written: Set<string>,
): CheckContext {
  return {
    store,
    options,
    key: () => {
      const key = randomKey();
      written.add(key);
      return key;
    },
    track: (key) => {
      written.add(key);
      return key;
    },
    userId: randomUserId,
    inMs: (ms) => Date.now() + ms,
    sleepUntil: async (instant) => {
      for (let left = instant - Date.now(); left > 0; left = instant - Date.now()) {
        await new Promise((resolve) => setTimeout(resolve, left));
      }
    },
  };
}
