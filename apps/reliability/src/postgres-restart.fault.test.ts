/**
 * PostgreSQL crashes under load (SIGKILL of the postmaster) and is started
 * again; this test's own instance, on a free port with its own data
 * directory, so the shared server is never touched.
 *
 * While it is down every request answers 503 with no cookie, never a fresh
 * session; the same app, store and pool serve again once it is back (no
 * application restart), and every increment acknowledged with a 200 is in
 * the database: each session is driven by one client at a time, so its
 * stored counter must equal its acknowledged increments exactly. A control
 * app on a store that hides outages as "no session" must be caught.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { pgExecutor, SqlStore } from "@tessera/store-sql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unexpectedErrors } from "./lib/app.js";
import {
  type Client,
  load,
  newClient,
  openSession,
  type Rules,
  storedCounter,
  swallowingStore,
  type Timeline,
  until,
} from "./lib/failover.js";
import { type Fixture, startFixture } from "./lib/fixture.js";
import { type OwnPostgres, startPostgres } from "./lib/own-servers.js";
import { record } from "./lib/report.js";

/** The pool's connect timeout and the store's statement timeout, ms. */
const TIMEOUT_MS = 1000;
/** A 503 must come within the timeout; the slack absorbs a loaded 2-core machine. */
const RULES: Rules = { max503Ms: TIMEOUT_MS + 1500, restartsEmpty: false };
/** How long the server stays down at least, ms. */
const OUTAGE_MS = 1500;

describe("PostgreSQL killed under load and started again", () => {
  let server: OwnPostgres;
  let pool: pg.Pool;
  let store: SqlStore;
  let app: Fixture;
  let control: Fixture;

  beforeAll(async () => {
    server = await startPostgres();
    // Fail fast, as the store-sql README configures it: a bounded wait for a
    // connection, a statement timeout, and an error listener for idle clients.
    pool = new pg.Pool({
      connectionString: server.url,
      max: 8,
      connectionTimeoutMillis: TIMEOUT_MS,
      idleTimeoutMillis: 10_000,
    });
    pool.on("error", () => undefined);
    store = new SqlStore(pgExecutor(pool), { table: "sessions", queryTimeout: TIMEOUT_MS / 1000 });
    await store.migrate();
    app = await startFixture("express", store);
    control = await startFixture("express", swallowingStore(store));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await control?.close();
    await store?.close();
    await pool?.end().catch(() => undefined);
    await server?.destroy();
  });

  it("answers 503 while it is down, recovers on the same pool, and loses no acknowledged write", async () => {
    const clients: Client[] = [];
    for (let i = 0; i < 6; i++) {
      const user = i < 4 ? `user-${i}` : null;
      clients.push(
        newClient(`app ${user ?? "anonymous"} #${i}`, user, await openSession(app, user), true),
      );
    }
    const checked: Client[] = [];
    for (const user of ["control-user", null]) {
      checked.push(
        newClient(`control ${user ?? "anonymous"}`, user, await openSession(control, user), true),
      );
    }
    const t: Timeline = {};
    const violations: string[] = [];
    const controlViolations: string[] = [];
    const stopApp = load(app, clients, t, RULES, violations);
    const stopControl = load(control, checked, t, RULES, controlViolations);
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
      await server.crash();
      t.downAt = performance.now();
      await until(clients, (c) => c.unavailable >= 3, "3 answers of 503 per session", violations);
      expect(violations).toEqual([]);
      const remaining = OUTAGE_MS - (performance.now() - t.downAt);
      if (remaining > 0) await sleep(remaining);

      t.restartAt = performance.now();
      await server.start();
      t.upAt = performance.now();
      const atUp = clients.map((c) => c.acked);
      await until(
        clients,
        (c) => c.acked >= atUp[clients.indexOf(c)]! + 3,
        "3 increments per session after the restart",
        violations,
      );
      expect(violations).toEqual([]);
      await until(
        checked,
        (c) => c.firstOkAfterRestart !== undefined,
        "the control to recover",
        [],
      );
      await Promise.all([stopApp(), stopControl()]);
      stopped = true;

      expect(violations).toEqual([]);
      expect(unexpectedErrors).toEqual([]);
      // No acknowledged increment is lost, and none that failed landed anyway.
      for (const c of clients) {
        const stored = await storedCounter(app, c);
        expect(stored, c.label).toBeGreaterThanOrEqual(c.seen);
        expect(stored, c.label).toBe(c.acked);
      }
      // The control hid the outage as "no session": the same checks catch it.
      expect(
        controlViolations.some((v) => v.endsWith("a fresh session instead of the real one")),
      ).toBe(true);

      record("scale-out", {
        store: "postgres (pg Pool, postmaster SIGKILLed)",
        sessions: clients.length,
        timeoutMs: TIMEOUT_MS,
        outageMs: Math.round(t.upAt - t.killAt),
        restartMs: Math.round(t.upAt - t.restartAt),
        answered503: clients.reduce((n, c) => n + c.unavailable, 0),
        slowest503Ms: Math.round(Math.max(...clients.map((c) => c.slowest503))),
        servingAgainWithinMs: Math.round(
          Math.max(...clients.map((c) => (c.firstOkAfterRestart ?? Number.NaN) - t.restartAt!)),
        ),
        acknowledged: clients.reduce((n, c) => n + c.acked, 0),
        acknowledgedLost: 0,
      });
    } finally {
      if (!stopped) await Promise.all([stopApp(), stopControl()]);
    }
  });
});
