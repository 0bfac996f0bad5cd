import type {
  SessionStore,
  SetResult,
  StoreEntry,
  StoreEntryInput,
  UserIndexedStore,
} from "../../contract.js";
import { supportsUserIndex } from "../../supports-user-index.js";
import { ConformanceError, type ExpectedEntry, ensure, entryIs } from "./assert.js";
import type { CheckContext } from "./context.js";

/**
 * An optional part of the store contract that some checks need. `"userIndex"`
 * is the per-user index (`listByUser` and `deleteByUser`).
 *
 * @example
 * ```ts
 * const indexChecks = conformanceChecks.filter((c) => c.requires === "userIndex");
 * ```
 */
export type ConformanceCapability = "userIndex";

/**
 * One behavioural check of the store contract. Checks are plain async
 * functions that throw on failure, so they run under any test framework
 * (`runCheck`), from a script (`runConformance`) or in vitest (`describeStore`
 * from `@tessera/store/conformance/vitest`).
 *
 * @example
 * ```ts
 * for (const check of conformanceChecks) console.log(check.name, check.requires ?? "");
 * ```
 */
export interface ConformanceCheck {
  /** Stable, human-readable name; also the test name. */
  readonly name: string;
  /**
   * The optional capability this check tests. A store without it cannot pass
   * or fail the check: runners report it as skipped (see `skipReason`).
   */
  readonly requires?: ConformanceCapability;
  /** Throws a descriptive error when the store breaks the contract. */
  run(context: CheckContext): Promise<void>;
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function later(): number {
  return Date.now() + HOUR;
}

export function conflict(result: SetResult, what: string): void {
  ensure(
    result.ok === false && result.conflict === true,
    `${what}: expected { ok: false, conflict: true }, got ${JSON.stringify(result)}`,
  );
}

export function written(result: SetResult, version: number, what: string): void {
  ensure(
    result.ok === true && result.version === version,
    `${what}: expected { ok: true, version: ${version} }, got ${JSON.stringify(result)}`,
  );
}

/** A create-only write (`expectVersion: 0`) of `input` under `key` that must succeed at version 1. */
export async function creates(
  store: SessionStore,
  key: string,
  input: StoreEntryInput,
  what: string,
): Promise<void> {
  written(await store.set(key, input, { expectVersion: 0 }), 1, what);
}

/** Reads `key` back: the store must hold exactly `expected` under it. */
export async function holds(
  store: SessionStore,
  key: string,
  expected: ExpectedEntry,
  what: string,
): Promise<void> {
  entryIs(await store.get(key), expected, what);
}

/** `list` holds exactly one session, the one under `key`. */
export function listsOnly(list: ReadonlyArray<{ key: string }>, key: string, what: string): void {
  ensure(
    list.length === 1 && list[0]?.key === key,
    `${what}: expected only ${key}, got [${list.map((session) => session.key).join(", ")}]`,
  );
}

export function byKey(list: Array<{ key: string; entry: StoreEntry }>): Map<string, StoreEntry> {
  return new Map(list.map(({ key, entry }) => [key, entry]));
}

/** @internal Name of the check that holds the capability to "both or neither". */
export const USER_INDEX_DECLARED =
  "user index: declared as both listByUser and deleteByUser, or neither";

export function check(
  name: string,
  run: (context: CheckContext) => Promise<void>,
): ConformanceCheck {
  return Object.freeze({ name, run });
}

// Runners skip these on a store without the index instead of running them
// against nothing and reporting a pass.
export function userIndexCheck(
  name: string,
  run: (context: CheckContext & { store: UserIndexedStore }) => Promise<void>,
): ConformanceCheck {
  return Object.freeze({
    name,
    requires: "userIndex" as const,
    run: (context: CheckContext) => {
      const { store } = context;
      if (!supportsUserIndex(store)) {
        throw new ConformanceError("the store has no user index: this check cannot run");
      }
      return run({ ...context, store });
    },
  });
}
