import type { StoreEntry } from "../../contract.js";
import { StoreError, type StoreErrorCode } from "../../errors.js";

/** A failed conformance expectation; the message says what the contract requires. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConformanceError";
  }
}

function show(value: unknown): string {
  if (typeof value === "string" && value.length > 60) {
    return `${JSON.stringify(value.slice(0, 60))}… (${value.length} chars)`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) {
    throw new ConformanceError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export interface ExpectedEntry {
  value: string;
  expiresAt: number;
  userId?: string;
  version: number;
}

export function entryIs(actual: StoreEntry | null, expected: ExpectedEntry, what: string): void {
  if (actual === null || typeof actual !== "object") {
    throw new ConformanceError(`${what}: expected an entry, got ${show(actual)}`);
  }
  equal(actual.value, expected.value, `${what}: value`);
  equal(actual.expiresAt, expected.expiresAt, `${what}: expiresAt`);
  equal(actual.userId, expected.userId, `${what}: userId`);
  equal(actual.version, expected.version, `${what}: version`);
}

export function isNull(actual: unknown, what: string): void {
  if (actual !== null) throw new ConformanceError(`${what}: expected null, got ${show(actual)}`);
}

export async function rejectsWith(
  attempt: () => Promise<unknown>,
  code: StoreErrorCode,
  what: string,
): Promise<void> {
  let pending: Promise<unknown>;
  try {
    pending = attempt();
  } catch (error) {
    // Callers await store methods; a synchronous throw escapes `.catch()` chains.
    throw new ConformanceError(
      `${what}: threw synchronously instead of rejecting: ${String(error)}`,
    );
  }
  let outcome: unknown;
  try {
    outcome = await pending;
  } catch (error) {
    if (StoreError.isInstance(error) && error.code === code) return;
    const got = StoreError.isInstance(error) ? error.code : String(error);
    throw new ConformanceError(`${what}: expected a StoreError ${code}, got ${got}`);
  }
  throw new ConformanceError(`${what}: expected a StoreError ${code}, resolved ${show(outcome)}`);
}
