// Assertions the store-redis tests share; the real clients are in clients.ts.
import { StoreUnavailableError } from "@tessera/store";
import { expect } from "vitest";
import { settle } from "../../../scripts/outcomes.js";

/** Scheduling slack on top of commandTimeout: the bound is "settles in time", not a speed claim. */
const SLACK_MS = 2000;

/**
 * Asserts that `promise` rejects with StoreUnavailableError (fail closed: never
 * a null that would read as "no session") within `commandTimeout` plus
 * scheduling slack. With `cause`, the client's error must be kept as the
 * rejection's cause.
 */
export async function expectUnavailable(
  label: string,
  promise: Promise<unknown>,
  options: { commandTimeout: number; cause?: boolean },
): Promise<void> {
  const result = await settle(promise);
  expect(result.ok, `${label} should reject, got ${JSON.stringify(result)}`).toBe(false);
  if (!result.ok) {
    expect(
      StoreUnavailableError.isInstance(result.error),
      `${label}: ${String(result.error)}`,
    ).toBe(true);
    if (options.cause) {
      expect(
        (result.error as Error).cause,
        `${label} keeps the client's error as cause`,
      ).toBeDefined();
    }
  }
  expect(result.ms, `${label} settled after ${result.ms} ms`).toBeLessThan(
    options.commandTimeout + SLACK_MS,
  );
}
