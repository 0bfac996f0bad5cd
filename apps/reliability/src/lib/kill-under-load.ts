/**
 * The run the kill tests share: an app and a control app on the same store,
 * steady load on both, one server killed and started again, and the checks
 * every such run ends with. Each test says what it kills, how it restarts it,
 * and what it waits for and checks once the server is back.
 */

import { setTimeout as sleep } from "node:timers/promises";
import type { SessionStore } from "@tessera/store";
import { expect } from "vitest";
import { unexpectedErrors } from "./app.js";
import {
  type Client,
  load,
  type Rules,
  swallowingStore,
  type Timeline,
  until,
} from "./failover.js";
import { type Fixture, startFixture } from "./fixture.js";

/** The stores' per-call bound in the kill tests, ms. */
export const TIMEOUT_MS = 1000;
/** How long the killed server stays down at least, ms. */
export const OUTAGE_MS = 1500;

/**
 * The rules of a kill test: a 503 must come within the store's timeout (the
 * slack absorbs a loaded 2-core machine); `restartsEmpty` as in {@link Rules}.
 */
export function killRules(restartsEmpty: boolean): Rules {
  return { max503Ms: TIMEOUT_MS + 1500, restartsEmpty };
}

/** The app under test and its control, both Express apps on one store. */
export interface AppAndControl {
  app: Fixture;
  /** The same store behind {@link swallowingStore}: the checks must catch it. */
  control: Fixture;
  /** Closes both apps. */
  close(): Promise<void>;
}

/** Starts the app on `store` and the control beside it. */
export async function startAppAndControl(store: SessionStore): Promise<AppAndControl> {
  const app = await startFixture("express", store);
  try {
    const control = await startFixture("express", swallowingStore(store));
    return {
      app,
      control,
      async close() {
        await app.close();
        await control.close();
      },
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}

export interface KillRun extends Omit<AppAndControl, "close"> {
  /** The app's sessions. */
  clients: Client[];
  /** The control's sessions. */
  checked: Client[];
  /** The app's sessions that depend on the killed server: each must see 503s. */
  lost: Client[];
  rules: Rules;
  /** How long the server stays down at least, ms; {@link OUTAGE_MS} by default. */
  outageMs?: number;
  kill(): Promise<void>;
  /** Runs once the outage has lasted `outageMs`, before the restart. */
  whileDown?(): void;
  restart(): Promise<void>;
  /**
   * Runs under load once the server answers again: the test's own waits and
   * checks, each followed by a check that `violations` stayed empty.
   */
  afterRestart(violations: string[]): Promise<void>;
  /** What the control's sessions reach once the server is back; the load stops after. */
  controlSettled: { done(c: Client): boolean; what: string };
}

/**
 * Runs `run` and checks what every kill test checks: no violation on the
 * app, no unexpected error, and the control caught serving a fresh session
 * instead of the real one. Returns when the test's server did what.
 */
export async function killUnderLoad(run: KillRun): Promise<Timeline> {
  const { app, control, clients, checked, rules } = run;
  const t: Timeline = {};
  const violations: string[] = [];
  const controlViolations: string[] = [];
  const stopApp = load(app, clients, t, rules, violations);
  const stopControl = load(control, checked, t, rules, controlViolations);
  let stopped = false;
  try {
    await until(
      [...clients, ...checked],
      (c) => c.acked >= 3,
      "3 increments each before the kill",
      violations,
    );
    expect(violations).toEqual([]);

    t.killAt = performance.now();
    await run.kill();
    t.downAt = performance.now();
    await until(
      run.lost,
      (c) => c.unavailable >= 3,
      "3 answers of 503 per lost session",
      violations,
    );
    expect(violations).toEqual([]);
    const remaining = (run.outageMs ?? OUTAGE_MS) - (performance.now() - t.downAt);
    if (remaining > 0) await sleep(remaining);
    run.whileDown?.();

    t.restartAt = performance.now();
    await run.restart();
    t.upAt = performance.now();
    await run.afterRestart(violations);
    expect(violations).toEqual([]);
    await until(checked, run.controlSettled.done, run.controlSettled.what, []);
    await Promise.all([stopApp(), stopControl()]);
    stopped = true;

    expect(violations).toEqual([]);
    expect(unexpectedErrors).toEqual([]);
    // The control hid the outage as "no session": the same checks catch it.
    expect(
      controlViolations.some((v) => v.endsWith("a fresh session instead of the real one")),
    ).toBe(true);
    return t;
  } finally {
    if (!stopped) await Promise.all([stopApp(), stopControl()]);
  }
}
