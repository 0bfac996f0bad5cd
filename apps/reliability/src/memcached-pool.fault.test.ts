/**
 * A Memcached pool of two loses one server under load (SIGKILL) and gets it
 * back empty on the same port. Both servers are this test's own, on free
 * ports: the shared ones are never touched.
 *
 * Sessions whose keys (and, for signed-in users, whose owner's index item)
 * live on the surviving server keep answering 200 with their counters moving
 * on; the others answer 503 within the store's timeout, never a fresh
 * session; once their server is back empty they are signed out cleanly and
 * their old cookie never loads again. A control app on a store that hides
 * outages as "no session" runs beside it and must be caught.
 */
import { createHash } from "node:crypto";
import { MemcachedStore, type MemjsClientLike, memjsClient } from "@tessera/store-memcached";
import memjs from "memjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Client,
  moreIncrements,
  newClient,
  openSession,
  storedCounter,
  until,
} from "./lib/failover.js";
import type { Fixture } from "./lib/fixture.js";
import { hit } from "./lib/http.js";
import {
  type AppAndControl,
  killRules,
  killUnderLoad,
  startAppAndControl,
  TIMEOUT_MS,
} from "./lib/kill-under-load.js";
import { type OwnMemcached, startMemcached } from "./lib/own-servers.js";
import { record } from "./lib/report.js";

/** The server comes back empty. */
const RULES = killRules(true);
/** The index of the server the test kills (servers[0] survives). */
const LOST = 1;

type Kind = "user" | "anonymous";
/** Where a session lives: its item's server, and its owner's index item's server (signed in only). */
type Placement = "survivor" | "lost" | "index-lost";

describe("Memcached pool of two: one server killed under load, back empty", () => {
  const prefix = `tessera-pool:${Date.now().toString(36)}:`;
  let servers: OwnMemcached[] = [];
  let raw: MemjsClientLike & { close(): void };
  let fixtures: AppAndControl;

  /** The server (0 or 1) a Memcached key hashes to: the ring `memjsClient` installed. */
  const serverOf = (memcachedKey: string) => raw.getServer(memcachedKey);
  // The README's index item layout: `<prefix>u:<SHA-256(userId) in hex>`.
  const indexServerOf = (user: string) =>
    serverOf(`${prefix}u:${createHash("sha256").update(user).digest("hex")}`);

  function placementOf(key: string, user: string | null): Placement {
    if (serverOf(prefix + key) === LOST) return "lost";
    if (user !== null && indexServerOf(user) === LOST) return "index-lost";
    return "survivor";
  }

  /** Opens sessions until each wanted kind and placement has its count. */
  async function clients(
    f: Fixture,
    label: string,
    want: Array<[Kind, Placement, number]>,
  ): Promise<Client[]> {
    const out: Client[] = [];
    const left = new Map(want.map(([k, p, n]) => [`${k}/${p}`, n]));
    for (let i = 0; [...left.values()].some((n) => n > 0); i++) {
      if (i > 400) throw new Error(`no placement for ${JSON.stringify([...left])}`);
      const kind: Kind = i % 2 === 0 ? "user" : "anonymous";
      if (![...left].some(([slot, n]) => n > 0 && slot.startsWith(kind))) continue;
      const user = kind === "user" ? `${label}-user-${i}` : null;
      const opened = await openSession(f, user);
      const placement = placementOf(opened.key, user);
      const slot = `${kind}/${placement}`;
      if ((left.get(slot) ?? 0) <= 0) continue;
      left.set(slot, left.get(slot)! - 1);
      out.push(newClient(`${label} ${slot} #${i}`, user, opened, placement !== "survivor"));
    }
    return out;
  }

  beforeAll(async () => {
    servers = [await startMemcached(), await startMemcached()];
    // The client options the README recommends: failover off, short timeouts.
    raw = memjs.Client.create(servers.map((s) => s.address).join(","), {
      timeout: 0.5,
      conntimeout: 0.5,
      retries: 1,
      keepAlive: true,
      logger: { log() {} },
    }) as unknown as MemjsClientLike & { close(): void };
    const store = new MemcachedStore({ client: memjsClient(raw), prefix, timeoutMs: TIMEOUT_MS });
    fixtures = await startAppAndControl(store);
  });

  afterAll(async () => {
    await fixtures?.close();
    raw?.close();
    for (const server of servers) await server.kill();
  });

  it("keeps the survivor's sessions, answers 503 for the lost one's, then signs its users out cleanly", async () => {
    const { app, control } = fixtures;
    const users = await clients(app, "app", [
      ["user", "survivor", 3],
      ["user", "lost", 2],
      ["user", "index-lost", 2],
      ["anonymous", "survivor", 2],
      ["anonymous", "lost", 2],
    ]);
    const checked = await clients(control, "control", [
      ["user", "lost", 1],
      ["anonymous", "lost", 1],
    ]);
    const survivors = users.filter((c) => !c.lost);
    const lost = users.filter((c) => c.lost);
    let survivorsAtKill: number[] = [];
    let survivorsAtUp: number[] = [];
    const t = await killUnderLoad({
      ...fixtures,
      clients: users,
      checked,
      lost,
      rules: RULES,
      async kill() {
        await servers[LOST]!.kill();
        survivorsAtKill = survivors.map((c) => c.acked);
      },
      whileDown() {
        // The survivors kept working while the other server was down.
        survivors.forEach((c, i) => {
          expect(c.acked, c.label).toBeGreaterThan(survivorsAtKill[i]!);
        });
      },
      restart: () => servers[LOST]!.start(),
      async afterRestart(violations) {
        const signedOut = (c: Client) => c.signedOut !== undefined;
        await until(lost, signedOut, "a clean sign-out per lost session", violations);
        expect(violations).toEqual([]);
        survivorsAtUp = await moreIncrements(
          survivors,
          3,
          "3 more increments per survivor after the restart",
          violations,
        );
      },
      controlSettled: {
        done: (c) => c.signedOut !== undefined,
        what: "the control's sessions to settle",
      },
    });

    // No increment a survivor saw acknowledged is missing, and none is extra.
    for (const c of survivors) expect(await storedCounter(app, c), c.label).toBe(c.acked);
    // Nothing stale comes back: the old cookie of a signed-out session opens a
    // fresh one, also for a session whose item survived but whose owner's
    // index item was lost, and also after that user signs in again.
    for (const c of lost) {
      const again = await hit(app.app.url, "POST", "/inc", { cookie: c.cookie });
      expect([again.status, again.body["isNew"], again.body["counter"]], c.label).toEqual([
        200,
        true,
        1,
      ]);
      if (c.user === null) continue;
      const relogin = await hit(app.app.url, "POST", `/login?user=${c.user}`);
      expect(relogin.status).toBe(200);
      const stale = await hit(app.app.url, "POST", "/inc", { cookie: c.cookie });
      expect([stale.status, stale.body["isNew"], stale.body["user"]], c.label).toEqual([
        200,
        true,
        null,
      ]);
    }

    const served503 = lost.reduce((n, c) => n + c.unavailable, 0);
    record("scale-out", {
      store: "memcached (2 servers, 1 killed)",
      sessions: users.length,
      lostSessions: lost.length,
      timeoutMs: TIMEOUT_MS,
      outageMs: Math.round(t.upAt! - t.killAt!),
      answered503: served503,
      slowest503Ms: Math.round(Math.max(...lost.map((c) => c.slowest503))),
      survivorIncrementsDuringOutage: survivorsAtUp.reduce(
        (n, up, k) => n + up - survivorsAtKill[k]!,
        0,
      ),
      restartMs: Math.round(t.upAt! - t.restartAt!),
      signedOutWithinMs: Math.round(
        Math.max(...lost.map((c) => (c.signedOut?.at ?? Number.NaN) - t.restartAt!)),
      ),
      acknowledgedLostOnSurvivor: 0,
    });
  });
});
