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
import { pgExecutor, SqlStore } from "@tessera/store-sql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Client,
  moreIncrements,
  newClient,
  openSession,
  storedCounter,
} from "./lib/failover.js";
import {
  type AppAndControl,
  killRules,
  killUnderLoad,
  startAppAndControl,
  TIMEOUT_MS,
} from "./lib/kill-under-load.js";
import { type OwnPostgres, startPostgres } from "./lib/own-servers.js";
import { record } from "./lib/report.js";

/** The database keeps its data. TIMEOUT_MS bounds the pool's connect and the store's statements. */
const RULES = killRules(false);

describe("PostgreSQL killed under load and started again", () => {
  let server: OwnPostgres;
  let pool: pg.Pool;
  let store: SqlStore;
  let fixtures: AppAndControl;

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
    fixtures = await startAppAndControl(store);
  }, 60_000);

  afterAll(async () => {
    await fixtures?.close();
    await store?.close();
    await pool?.end().catch(() => undefined);
    await server?.destroy();
  });

  it("answers 503 while it is down, recovers on the same pool, and loses no acknowledged write", async () => {
    const { app, control } = fixtures;
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
    const t = await killUnderLoad({
      ...fixtures,
      clients,
      checked,
      lost: clients,
      rules: RULES,
      kill: () => server.crash(),
      restart: () => server.start(),
      async afterRestart(violations) {
        await moreIncrements(clients, 3, "3 increments per session after the restart", violations);
      },
      controlSettled: {
        done: (c) => c.firstOkAfterRestart !== undefined,
        what: "the control to recover",
      },
    });

    // No acknowledged increment is lost, and none that failed landed anyway.
    for (const c of clients) {
      const stored = await storedCounter(app, c);
      expect(stored, c.label).toBeGreaterThanOrEqual(c.seen);
      expect(stored, c.label).toBe(c.acked);
    }
    record("scale-out", {
      store: "postgres (pg Pool, postmaster SIGKILLed)",
      sessions: clients.length,
      timeoutMs: TIMEOUT_MS,
      outageMs: Math.round(t.upAt! - t.killAt!),
      restartMs: Math.round(t.upAt! - t.restartAt!),
      answered503: clients.reduce((n, c) => n + c.unavailable, 0),
      slowest503Ms: Math.round(Math.max(...clients.map((c) => c.slowest503))),
      servingAgainWithinMs: Math.round(
        Math.max(...clients.map((c) => (c.firstOkAfterRestart ?? Number.NaN) - t.restartAt!)),
      ),
      acknowledged: clients.reduce((n, c) => n + c.acked, 0),
      acknowledgedLost: 0,
    });
  });
});
