/**
 * Node 22 driver of the workerd proof (miniflare 4 needs Node >= 22).
 * test/workerd.test.ts bundles it and runs
 *
 *   node22 driver.mjs <worker bundle> <miniflare entry>
 *
 * It serves the Worker (test/workerd/worker.ts) on workerd with a
 * SQLite-backed Durable Object namespace and a local D1 database, all in
 * memory, runs every conformance check against both, the workerd-only checks
 * and the HTTP scenarios through `dispatchFetch`, and prints one line:
 * RESULT_MARK followed by JSON.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { type CheckReport, RESULT_MARK, type RoundTrips, type WorkerdReport } from "./report.js";

const [bundle, miniflareEntry] = process.argv.slice(2);
if (bundle === undefined || miniflareEntry === undefined) {
  throw new Error("usage: driver.mjs <worker bundle> <miniflare entry>");
}
const { Miniflare } = (await import(
  pathToFileURL(miniflareEntry).href
)) as typeof import("miniflare");
const workerd = JSON.parse(
  readFileSync(createRequire(miniflareEntry).resolve("workerd/package.json"), "utf8"),
).version as string;

const ORIGIN = "https://app.example";
const COOKIE = "__Host-sid";

const mf = new Miniflare({
  modules: true,
  script: readFileSync(bundle, "utf8"),
  scriptPath: bundle,
  // Module names are paths relative to this root: the bundle's own directory.
  modulesRoot: dirname(bundle),
  compatibilityDate: "2026-07-01",
  durableObjects: { SESSIONS: { className: "TestSessionStoreObject", useSQLite: true } },
  d1Databases: { DB: "tessera-sessions" },
  bindings: { SECRET: "0YQux4N4UgfGJjSapDF7mdPHPmwL8TaiIXDYP_lnoPo" },
});

interface Hit {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
  doRequests: number;
  headers: Headers;
}

let stubRequests = 0;

async function send(method: string, path: string, cookie?: string): Promise<Hit> {
  const response = await mf.dispatchFetch(`${ORIGIN}${path}`, {
    method,
    headers: cookie === undefined ? {} : { cookie: `${COOKIE}=${cookie}` },
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  const doRequests = Number(response.headers.get("x-do-requests") ?? "0");
  stubRequests += doRequests;
  return {
    status: response.status,
    body,
    setCookie: response.headers.getSetCookie(),
    doRequests,
    headers: response.headers as unknown as Headers,
  };
}

/** A browser with one cookie: the session cookie. */
class Jar {
  cookie: string | undefined;
  async hit(method: string, path: string): Promise<Hit> {
    const h = await send(method, path, this.cookie);
    for (const line of h.setCookie) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (pair.slice(0, eq) !== COOKIE) continue;
      const value = pair.slice(eq + 1);
      this.cookie = value === "" || /max-age=0/i.test(line) ? undefined : value;
    }
    return h;
  }
  copy(): Jar {
    const jar = new Jar();
    jar.cookie = this.cookie;
    return jar;
  }
}

function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function ask(path: string): Promise<unknown> {
  const response = await mf.dispatchFetch(`${ORIGIN}${path}`, { method: "POST" });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

const roundTrips: RoundTrips = {};
let users = 0;
const newUser = () => `user-${++users}`;

const SCENARIOS: Record<string, () => Promise<void>> = {
  async "round trips: no cookie costs none, a load one, a changed commit one more"() {
    const jar = new Jar();
    const anonymous = await jar.hit("GET", "/state");
    roundTrips["anonymous read"] = anonymous.doRequests;
    ensure(anonymous.doRequests === 0, `anonymous read: ${anonymous.doRequests}`);
    const created = await jar.hit("POST", "/set?cart=apple");
    roundTrips["first write (create)"] = created.doRequests;
    ensure(created.doRequests === 1, `first write: ${created.doRequests}`);
    const read = await jar.hit("GET", "/state");
    roundTrips["read of a live session"] = read.doRequests;
    ensure(
      read.status === 200 && read.body["isNew"] === false,
      `read: ${JSON.stringify(read.body)}`,
    );
    ensure(read.doRequests === 1, `load: ${read.doRequests} Durable Object requests, expected 1`);
    const write = await jar.hit("POST", "/set?size=3");
    roundTrips["write of a live session"] = write.doRequests;
    ensure(write.doRequests === 2, `load + commit: ${write.doRequests}, expected 2`);
    const login = await jar.hit("POST", `/login?user=${newUser()}`);
    roundTrips["login (regenerate)"] = login.doRequests;
    const logout = await jar.hit("POST", "/logout");
    roundTrips["logout"] = logout.doRequests;
  },

  async "login regenerates the token; the pre-login cookie never authenticates"() {
    const jar = new Jar();
    await jar.hit("POST", "/set?cart=apple&draft=x");
    const before = jar.cookie;
    ensure(before !== undefined, "no cookie after the first write");
    const user = newUser();
    const login = await jar.hit("POST", `/login?user=${user}`);
    ensure(login.status === 200, `login: ${login.status}`);
    ensure(jar.cookie !== undefined && jar.cookie !== before, "login kept the pre-login token");
    const state = await jar.hit("GET", "/state");
    ensure(state.body["userId"] === user, `after login: ${JSON.stringify(state.body)}`);
    ensure(
      JSON.stringify(state.body["data"]) === JSON.stringify({ cart: "apple" }),
      `carried over: ${JSON.stringify(state.body["data"])}`,
    );
    const fixated = new Jar();
    fixated.cookie = before;
    const replay = await fixated.hit("GET", "/state");
    ensure(
      replay.body["isNew"] === true && replay.body["userId"] === null,
      `the pre-login cookie: ${JSON.stringify(replay.body)}`,
    );
  },

  async "logout ends the session; a copied cookie is dead too"() {
    const jar = new Jar();
    const user = newUser();
    await jar.hit("POST", "/set?cart=apple");
    await jar.hit("POST", `/login?user=${user}`);
    const copy = jar.copy();
    const logout = await jar.hit("POST", "/logout");
    ensure(logout.status === 200, `logout: ${logout.status}`);
    ensure(logout.body["serverSideRevoked"] === true, `logout: ${JSON.stringify(logout.body)}`);
    ensure(jar.cookie === undefined, "logout did not clear the cookie");
    const replay = await copy.hit("GET", "/state");
    ensure(
      replay.body["isNew"] === true && replay.body["userId"] === null,
      `the copied cookie after logout: ${JSON.stringify(replay.body)}`,
    );
  },

  async "log out everywhere: revokeUser ends the user's other sessions, keeps this one and other users'"() {
    const user = newUser();
    const [laptop, phone, tablet, stranger] = [new Jar(), new Jar(), new Jar(), new Jar()];
    for (const jar of [laptop, phone, tablet]) await jar.hit("POST", `/login?user=${user}`);
    await stranger.hit("POST", `/login?user=${newUser()}`);
    const revoke = await phone.hit("POST", "/revoke-others");
    roundTrips["revoke-others (revokeUser)"] = revoke.doRequests;
    ensure(revoke.status === 200, `revoke: ${revoke.status} ${JSON.stringify(revoke.body)}`);
    ensure(revoke.body["revoked"] === 2, `revoked: ${JSON.stringify(revoke.body)}`);
    for (const [name, jar] of [
      ["laptop", laptop],
      ["tablet", tablet],
    ] as const) {
      const state = await jar.hit("GET", "/state");
      ensure(state.body["userId"] === null, `${name} after revoke: ${JSON.stringify(state.body)}`);
    }
    ensure((await phone.hit("GET", "/state")).body["userId"] === user, "phone lost its session");
    ensure(
      (await stranger.hit("GET", "/state")).body["userId"] !== null,
      "another user was revoked",
    );
  },

  async "20 concurrent increments on one session: counter 20, none lost"() {
    const jar = new Jar();
    await jar.hit("POST", `/login?user=${newUser()}`);
    const cookie = jar.cookie;
    let retries = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (let attempt = 0; attempt < 10; attempt++) {
          const h = await send("POST", "/inc", cookie);
          // 409 is the documented answer when the manager's merge retries run out.
          ensure(h.status === 200 || h.status === 409, `increment ${i}: ${h.status}`);
          if (h.status === 200) return;
          retries++;
        }
        throw new Error(`increment ${i} never got through`);
      }),
    );
    const state = await jar.hit("GET", "/state");
    ensure(
      state.body["counter"] === 20,
      `counter: ${state.body["counter"]} (client retries: ${retries})`,
    );
  },

  async "an unreachable Durable Object answers 503 with Retry-After, no cookie, then recovers"() {
    const jar = new Jar();
    await jar.hit("POST", `/login?user=${newUser()}`);
    await jar.hit("POST", "/set?cart=pear");
    const cookie = jar.cookie;
    await mf.dispatchFetch(`${ORIGIN}/__fail`, { method: "POST", body: "on" });
    try {
      for (const [method, path] of [
        ["GET", "/state"],
        ["POST", "/set?cart=plum"],
      ] as const) {
        const h = await send(method, path, cookie);
        ensure(h.status === 503, `${method} ${path} during the outage: ${h.status}`);
        ensure(h.headers.get("retry-after") !== null, "503 without Retry-After");
        ensure(h.setCookie.length === 0, `503 sent cookies: ${h.setCookie.join(" | ")}`);
      }
    } finally {
      await mf.dispatchFetch(`${ORIGIN}/__fail`, { method: "POST", body: "off" });
    }
    const after = await send("GET", "/state", cookie);
    ensure(
      after.status === 200 && (after.body["data"] as Record<string, string>)["cart"] === "pear",
      `after the outage: ${after.status} ${JSON.stringify(after.body)}`,
    );
  },
};

async function runAll(
  names: string[],
  run: (name: string) => Promise<void>,
): Promise<CheckReport[]> {
  const out: CheckReport[] = [];
  for (const name of names) {
    try {
      await run(name);
      out.push({ name, ok: true });
    } catch (error) {
      out.push({ name, ok: false, error: describe(error) });
    }
  }
  return out;
}

try {
  const { count } = (await ask("/__conformance/count")) as { count: number };
  const conformance = async (which: string) => {
    const out: CheckReport[] = [];
    for (let i = 0; i < count; i++)
      out.push((await ask(`/__conformance/${which}?check=${i}`)) as CheckReport);
    return out;
  };
  const durableObject = await conformance("do");
  const d1 = await conformance("d1");
  const checkNames = (await ask("/__checks")) as string[];
  const checks: CheckReport[] = [];
  for (const name of checkNames) {
    checks.push((await ask(`/__check/${encodeURIComponent(name)}`)) as CheckReport);
  }
  const scenarios = await runAll(Object.keys(SCENARIOS), (name) =>
    (SCENARIOS[name] as () => Promise<void>)(),
  );
  const { count: objectRequests } = (await ask("/__do-count")) as { count: number };
  const report: WorkerdReport = {
    workerd,
    conformanceChecks: count,
    durableObject,
    d1,
    checks,
    scenarios,
    roundTrips,
    objectRequests,
    stubRequests,
  };
  console.log(RESULT_MARK + JSON.stringify(report));
} finally {
  await mf.dispose();
}
