/**
 * The Worker of the workerd proof. test/workerd.test.ts bundles it (esbuild)
 * and test/workerd/driver.ts serves it with miniflare, with a Durable Object
 * namespace SESSIONS (SQLite-backed, class TestSessionStoreObject) and a
 * local D1 database DB:
 *
 * - `POST /__conformance/{do,d1}?check=i`: check i of the exported
 *   conformance suite against DurableObjectStore, or SqlStore on D1;
 * - `POST /__check/<name>`: a check of what only workerd can show (alarms,
 *   faults, a D1 SQL error), answered as `{ ok, error? }`;
 * - `POST /__fail` (body "on"/"off"): every object throws on store requests;
 * - `GET /__do-count`: store requests the objects received, summed;
 * - anything else: a Hono app with stateful sessions on the Durable Object
 *   store; each answer carries `x-do-requests`, the Durable Object requests
 *   that request made.
 */
import { type SessionVariables, sessionMiddleware } from "@tessera/hono";
import { createSessions, SessionError, type Sessions } from "@tessera/session";
import { createKeyring } from "@tessera/signing";
import { StoreError, StoreUnavailableError } from "@tessera/store";
import { conformanceChecks, runCheck } from "@tessera/store/conformance";
import { type D1DatabaseLike, d1Executor, SqlStore } from "@tessera/store-sql";
import { Hono } from "hono";
import {
  type DurableObjectNamespaceLike,
  type DurableObjectStateLike,
  DurableObjectStore,
  SessionStoreObject,
} from "../../src/index.js";

interface Env {
  SESSIONS: DurableObjectNamespaceLike;
  DB: D1DatabaseLike;
  SECRET: string;
}

/** The exported object, counting the store requests it receives, with test switches. */
export class TestSessionStoreObject extends SessionStoreObject {
  readonly #state: DurableObjectStateLike;
  #count = 0;
  #failing = false;

  constructor(state: DurableObjectStateLike, env: unknown) {
    super(state, env);
    this.#state = state;
  }

  override async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/__count") return Response.json({ count: this.#count });
    if (pathname === "/__fail") {
      this.#failing = (await request.text()) === "on";
      return Response.json({ failing: this.#failing });
    }
    if (pathname === "/__keys") {
      return Response.json([...(await this.#state.storage.list()).keys()]);
    }
    this.#count++;
    if (this.#failing) throw new Error("simulated Durable Object failure");
    return super.fetch(request);
  }
}

const SHARDS = 16;
let runs = 0;
const freshName = () => `conformance-${Date.now()}-${runs++}`;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Every object of a family, for the test switches. */
function objects(env: Env, name: string, shards: number) {
  return Array.from({ length: shards }, (_, i) =>
    env.SESSIONS.get(env.SESSIONS.idFromName(`${name}:${i}`)),
  );
}

async function tell(env: Env, name: string, shards: number, path: string, body?: string) {
  return Promise.all(
    objects(env, name, shards).map(async (stub) => {
      const response = await stub.fetch(
        new Request(`https://test.invalid${path}`, { method: "POST", body: body ?? "" }),
      );
      return response.json();
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const later = () => Date.now() + 3_600_000;
const KEY = "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg";

/** Checks of what only the real runtime shows. */
const CHECKS: Record<string, (env: Env) => Promise<void>> = {
  async "alarms reclaim the storage of expired sessions nobody reads again"(env) {
    const name = freshName();
    const store = new DurableObjectStore({ namespace: env.SESSIONS, name, shards: 1 });
    await store.set(KEY, { value: "short", expiresAt: Date.now() + 300, userId: "u1" });
    await store.set("kept", { value: "long", expiresAt: later(), userId: "u1" });
    const [before] = (await tell(env, name, 1, "/__keys")) as string[][];
    ensure(before?.length === 6, `keys before expiry: ${JSON.stringify(before)}`);
    for (let waited = 0; waited < 5000; waited += 100) {
      await sleep(100);
      const [keys] = (await tell(env, name, 1, "/__keys")) as string[][];
      if (keys?.length === 3) {
        ensure(
          keys.every((k) => k.endsWith(":kept")),
          `keys left after the alarm: ${JSON.stringify(keys)}`,
        );
        return;
      }
    }
    const [keys] = (await tell(env, name, 1, "/__keys")) as string[][];
    throw new Error(`the alarm did not reclaim the expired session: ${JSON.stringify(keys)}`);
  },

  async "a failing object surfaces as StoreUnavailableError, never as no session"(env) {
    const name = freshName();
    const store = new DurableObjectStore({ namespace: env.SESSIONS, name, shards: 2 });
    await store.set(KEY, { value: "v", expiresAt: later(), userId: "u1" });
    await tell(env, name, 2, "/__fail", "on");
    try {
      for (const [what, call] of [
        ["get", () => store.get(KEY)],
        ["set", () => store.set(KEY, { value: "w", expiresAt: later() }, { expectVersion: 1 })],
        ["touch", () => store.touch(KEY, later())],
        ["delete", () => store.delete(KEY)],
        ["listByUser", () => store.listByUser("u1")],
        ["deleteByUser", () => store.deleteByUser("u1")],
      ] as const) {
        const error = await failure(call as () => Promise<unknown>);
        ensure(
          StoreUnavailableError.isInstance(error) && error.cause !== undefined,
          `${what}: ${describe(error)}`,
        );
      }
    } finally {
      await tell(env, name, 2, "/__fail", "off");
    }
    ensure((await store.get(KEY))?.value === "v", "the session is intact after the failure");
  },

  async "sessions of one user spread over the shards are all listed and all revoked"(env) {
    const store = new DurableObjectStore({ namespace: env.SESSIONS, name: freshName() });
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await Promise.all(
      keys.map((k) => store.set(k, { value: k, expiresAt: later(), userId: "u1" })),
    );
    await store.set("other", { value: "o", expiresAt: later(), userId: "u2" });
    const listed = await store.listByUser("u1");
    ensure(listed.length === 40, `listed ${listed.length} of 40`);
    ensure((await store.deleteByUser("u1", { exceptKey: "k7" })) === 39, "deleteByUser count");
    const left = await store.listByUser("u1");
    ensure(left.length === 1 && left[0]?.key === "k7", `left: ${JSON.stringify(left)}`);
    ensure((await store.get("other"))?.value === "o", "another user's session survives");
  },

  async "D1: a missing table is a backend error, not an outage and not no session"(env) {
    const store = new SqlStore(d1Executor(env.DB), { table: "no_such_table" });
    const error = await failure(() => store.get(KEY));
    ensure(
      StoreError.isInstance(error) && error.code === "ERR_STORE_BACKEND",
      `get: ${describe(error)} (cause: ${describe((error as { cause?: unknown })?.cause)})`,
    );
  },
};

type Data = Record<string, string>;

/** The per-request Durable Object request counter behind `x-do-requests`. */
function counting(namespace: DurableObjectNamespaceLike) {
  let requests = 0;
  const counted: DurableObjectNamespaceLike = {
    idFromName: (name) => namespace.idFromName(name),
    get: (id) => {
      const stub = namespace.get(id);
      return {
        fetch: (request) => {
          requests++;
          return stub.fetch(request);
        },
      };
    },
  };
  return { namespace: counted, requests: () => requests };
}

function appFor(env: Env): {
  app: Hono<{ Variables: SessionVariables<Data> }>;
  requests: () => number;
} {
  const count = counting(env.SESSIONS);
  const store = new DurableObjectStore({ namespace: count.namespace, name: "app", shards: SHARDS });
  const sessions: Sessions<Data> = createSessions<Data>({
    keys: createKeyring([{ id: "k1", secret: env.SECRET }]),
    store,
  });
  const app = new Hono<{ Variables: SessionVariables<Data> }>();
  app.use("*", sessionMiddleware(sessions));
  const state = (session: SessionVariables<Data>["session"]) => {
    const data = { ...session.toJSON() } as Data;
    const counter = Object.keys(data).filter((k) => k.startsWith("hit-")).length;
    return { isNew: session.isNew, userId: session.userId ?? null, data, counter };
  };
  app.get("/state", (c) => c.json(state(c.get("session"))));
  app.post("/set", (c) => {
    const session = c.get("session");
    for (const [k, v] of new URL(c.req.url).searchParams) session.set(k, v);
    return c.json(state(session));
  });
  // One increment is one new key: concurrent increments merge key by key and
  // none is lost (the manager's merge keeps each request's own keys).
  app.post("/inc", (c) => {
    const session = c.get("session");
    session.set(`hit-${crypto.randomUUID()}`, "1");
    return c.json(state(session));
  });
  app.post("/login", async (c) => {
    const session = c.get("session");
    await session.login(c.req.query("user") ?? "", { carryOver: ["cart"] });
    return c.json(state(session));
  });
  app.post("/logout", async (c) => c.json(await c.get("session").logout()));
  app.post("/revoke-others", async (c) => {
    const session = c.get("session");
    if (session.userId === undefined) return c.json({ error: "not logged in" }, 401);
    try {
      return c.json({ revoked: await sessions.revokeUser(session.userId, { except: session }) });
    } catch (error) {
      if (SessionError.isInstance(error)) return c.json({ error: error.code }, 501);
      throw error;
    }
  });
  return { app, requests: count.requests };
}

let d1Migrated = false;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === "/__conformance/count") return Response.json({ count: conformanceChecks.length });
    if (path === "/__conformance/do" || path === "/__conformance/d1") {
      const check = conformanceChecks[Number(url.searchParams.get("check"))];
      if (check === undefined) return Response.json({ error: "no such check" }, { status: 404 });
      let factory: () => DurableObjectStore | SqlStore;
      if (path === "/__conformance/do") {
        const name = freshName();
        factory = () => new DurableObjectStore({ namespace: env.SESSIONS, name });
      } else {
        if (!d1Migrated) {
          await new SqlStore(d1Executor(env.DB)).migrate();
          d1Migrated = true;
        }
        factory = () => new SqlStore(d1Executor(env.DB));
      }
      try {
        // Real-clock expiry checks: a second of slack for a busy 2-core machine
        // (a 16-object listByUser fan-out must not outlive a 300 ms entry).
        await runCheck(check, factory, { ttlMs: 1000 });
        return Response.json({ name: check.name, ok: true });
      } catch (error) {
        return Response.json({ name: check.name, ok: false, error: describe(error) });
      }
    }
    if (path === "/__checks") return Response.json(Object.keys(CHECKS));
    if (path.startsWith("/__check/")) {
      const name = decodeURIComponent(path.slice("/__check/".length));
      const run = CHECKS[name];
      if (run === undefined) return Response.json({ error: "no such check" }, { status: 404 });
      try {
        await run(env);
        return Response.json({ name, ok: true });
      } catch (error) {
        return Response.json({ name, ok: false, error: describe(error) });
      }
    }
    if (path === "/__fail") {
      return Response.json(await tell(env, "app", SHARDS, "/__fail", await request.text()));
    }
    if (path === "/__do-count") {
      const counts = (await tell(env, "app", SHARDS, "/__count")) as Array<{ count: number }>;
      return Response.json({ count: counts.reduce((sum, c) => sum + c.count, 0) });
    }
    const { app, requests } = appFor(env);
    const response = await app.fetch(request, env);
    const headers = new Headers(response.headers);
    headers.set("x-do-requests", String(requests()));
    return new Response(response.body, { status: response.status, headers });
  },
};
