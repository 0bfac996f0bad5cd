/**
 * Steady session traffic through an app while a test kills and restarts a
 * store server, and the rules every response must keep. Violations are
 * collected as readable lines rather than thrown, so a test can show that its
 * checks catch a store that hides outages (see {@link swallowingStore}).
 */

import { setTimeout as sleep } from "node:timers/promises";
import type { SessionStore } from "@tessera/store";
import type { Fixture } from "./fixture.js";
import { type Hit, hit } from "./http.js";

/** One browser: a session it sends with every request, one request at a time. */
export interface Client {
  label: string;
  /** The user it logged in as, or null for an anonymous session. */
  user: string | null;
  cookie: string;
  /** The session's store key (the manager's hash of the token). */
  key: string;
  /** Whether the session depends on the server the test kills. */
  lost: boolean;
  /** Highest counter acknowledged so far. */
  seen: number;
  /** Increments acknowledged with a 200. */
  acked: number;
  /** Increments sent (200 or not): the most the store may hold. */
  attempted: number;
  /** 503 answers received. */
  unavailable: number;
  /** The slowest 503, ms. */
  slowest503: number;
  /** Set once the client got a clean sign-out (a fresh session after its server came back empty). */
  signedOut?: { cookie: string; at: number };
  /** When (performance.now()) the first 200 after the restart arrived. */
  firstOkAfterRestart?: number;
}

/** When the test did what, in performance.now() milliseconds. */
export interface Timeline {
  /** The kill signal is about to be sent. */
  killAt?: number;
  /** The server and everything that could still answer for it are gone. */
  downAt?: number;
  /** The restart is about to begin. */
  restartAt?: number;
  /** The restarted server answers. */
  upAt?: number;
}

export interface Rules {
  /** Longest a 503 may take, ms: the store's timeout plus scheduling slack. */
  max503Ms: number;
  /**
   * The restarted server comes back empty: a lost client's first 200 after
   * the restart must be a clean sign-out. Otherwise (a database that keeps
   * its data) it must be the same session with its counter moving on.
   */
  restartsEmpty: boolean;
}

/** Creates a session: a login when `user` is given, else an anonymous visit. Returns cookie and store key. */
export async function openSession(
  f: Fixture,
  user: string | null,
): Promise<{ cookie: string; key: string; counter: number }> {
  const before = f.events.length;
  const h =
    user === null
      ? await hit(f.app.url, "POST", "/inc")
      : await hit(f.app.url, "POST", `/login?user=${encodeURIComponent(user)}`);
  if (h.status !== 200 || h.session === undefined) {
    throw new Error(`could not open a session: ${h.status} ${JSON.stringify(h.body)}`);
  }
  // Sessions are opened one at a time before the load starts, so the newest
  // "created" or "login" event is this request's.
  const event = f.events
    .slice(before)
    .reverse()
    .find((e) => e.type === (user === null ? "created" : "login"));
  if (event === undefined || !("session" in event) || event.session === undefined) {
    throw new Error("no created/login event names the new session's key");
  }
  // An anonymous session starts with the visit's own increment.
  return { cookie: h.session, key: event.session, counter: user === null ? 1 : 0 };
}

export function newClient(
  label: string,
  user: string | null,
  opened: { cookie: string; key: string; counter: number },
  lost: boolean,
): Client {
  return {
    label,
    user,
    cookie: opened.cookie,
    key: opened.key,
    lost,
    seen: opened.counter,
    acked: opened.counter,
    attempted: opened.counter,
    unavailable: 0,
    slowest503: 0,
  };
}

/**
 * Checks one /inc answer against the rules and updates the client. `started`
 * and `ended` bracket the request (performance.now()).
 */
export function check(
  h: Hit,
  client: Client,
  started: number,
  ended: number,
  t: Timeline,
  rules: Rules,
  violations: string[],
): void {
  const tag = `${client.label} (${client.lost ? "lost server" : "surviving server"}) → ${h.status} ${JSON.stringify(h.body)}`;
  const bad = (why: string) => violations.push(`${tag}: ${why}`);
  if (h.status === 503) {
    client.unavailable += 1;
    client.slowest503 = Math.max(client.slowest503, h.ms);
    if (h.setCookie.length > 0) bad("a 503 that sets a cookie");
    if (h.headers.get("retry-after") === null) bad("a 503 without Retry-After");
    if (!client.lost) bad("a 503 for a session whose server stayed up");
    else if (t.killAt === undefined || ended < t.killAt) bad("a 503 before the kill");
    if (h.ms > rules.max503Ms) bad(`a 503 after ${Math.round(h.ms)} ms, over ${rules.max503Ms} ms`);
    return;
  }
  if (h.status !== 200) {
    bad("neither 200 nor 503");
    return;
  }
  const body = h.body;
  // The store call may have reached the restarted server / surely did.
  const restarting = t.restartAt !== undefined && ended >= t.restartAt;
  const restarted = t.upAt !== undefined && started >= t.upAt;
  if (restarting && client.firstOkAfterRestart === undefined) client.firstOkAfterRestart = ended;
  if (body["isNew"] === true) {
    // A fresh session is a clean sign-out only for a session whose server came
    // back empty; anywhere else it replaces the real session, which then
    // either is lost or, once the store answers again, overwrites it.
    if (!(rules.restartsEmpty && client.lost && restarting && client.signedOut === undefined)) {
      bad("a fresh session instead of the real one");
      return;
    }
    if (body["user"] !== null) bad("the fresh session is signed in");
    if (body["counter"] !== 1) bad("the fresh session carries old data");
    if (body["rejected"] !== "unknown_id") bad("the sign-out gives no unknown_id reason");
    if (h.session === undefined || h.session === client.cookie) {
      bad("the fresh session has no new cookie");
    }
    client.signedOut = { cookie: h.session ?? "", at: ended };
    return;
  }
  if (client.signedOut !== undefined) bad("the old session is back after the sign-out");
  if (body["user"] !== client.user) bad(`another user's session (expected ${client.user})`);
  if (body["rejected"] !== null) bad("a rejection reason on a loaded session");
  if (h.session !== undefined && h.session !== client.cookie) {
    bad("a new cookie for the same session");
  }
  if (client.lost && rules.restartsEmpty && restarted) {
    bad("served although its server came back empty");
  }
  if (client.lost && t.downAt !== undefined && started >= t.downAt && !restarting) {
    bad("a 200 while its server was down");
  }
  const counter = body["counter"];
  if (typeof counter !== "number" || !(counter > client.seen) || counter > client.attempted) {
    bad(`counter ${String(counter)}: expected above ${client.seen}, at most ${client.attempted}`);
    return;
  }
  client.seen = counter;
  client.acked += 1;
}

/** One /inc, checked. */
export async function inc(
  f: Fixture,
  client: Client,
  t: Timeline,
  rules: Rules,
  violations: string[],
): Promise<Hit> {
  client.attempted += 1;
  const started = performance.now();
  const h = await hit(f.app.url, "POST", "/inc", { cookie: client.cookie });
  check(h, client, started, performance.now(), t, rules, violations);
  return h;
}

/**
 * Drives `clients` (each sequential, `pauseMs` between requests) until
 * `stop()` says so or a client is signed out; the returned function ends the
 * load and resolves once every loop has finished.
 */
export function load(
  f: Fixture,
  clients: Client[],
  t: Timeline,
  rules: Rules,
  violations: string[],
  pauseMs = 5,
): () => Promise<void> {
  let stopping = false;
  const loops = clients.map(async (client) => {
    while (!stopping && client.signedOut === undefined) {
      await inc(f, client, t, rules, violations);
      await sleep(pauseMs);
    }
  });
  return async () => {
    stopping = true;
    await Promise.all(loops);
  };
}

/** The counter the store holds for `client`'s session (GET /state, which increments nothing). */
export async function storedCounter(f: Fixture, client: Client): Promise<number | string> {
  const h = await hit(f.app.url, "GET", "/state", { cookie: client.cookie });
  if (h.status !== 200 || h.body["isNew"] !== false) return `${h.status} ${JSON.stringify(h.body)}`;
  return h.body["counter"] as number;
}

/**
 * The control: a store that reports every outage as "no session" and every
 * failed write as done, as some session libraries do. The checks must flag
 * it, or they prove nothing.
 */
export function swallowingStore(store: SessionStore): SessionStore {
  return {
    get: (key) => store.get(key).catch(() => null),
    set: (key, entry, options) =>
      store
        .set(key, entry, options)
        .catch(() => ({ ok: true as const, version: (options?.expectVersion ?? 0) + 1 })),
    touch: (key, expiresAt) => store.touch(key, expiresAt).catch(() => undefined),
    delete: (key) => store.delete(key).catch(() => undefined),
  };
}

/**
 * Waits until every client has `n` more increments acknowledged than now (see
 * {@link until}); returns the counts it started from.
 */
export async function moreIncrements(
  clients: Client[],
  n: number,
  what: string,
  violations: readonly string[],
): Promise<number[]> {
  const from = clients.map((c) => c.acked);
  await until(clients, (c) => c.acked >= from[clients.indexOf(c)]! + n, what, violations);
  return from;
}

/**
 * Waits until every client satisfies `done`, or throws naming the ones that
 * do not. Returns early once `violations` holds anything, so a test reports
 * what went wrong rather than a timeout.
 */
export async function until(
  clients: Client[],
  done: (c: Client) => boolean,
  what: string,
  violations: readonly string[],
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!clients.every(done) && violations.length === 0) {
    if (performance.now() > deadline) {
      const late = clients.filter((c) => !done(c)).map((c) => c.label);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${late.join(", ")}`);
    }
    await sleep(20);
  }
}
