/**
 * Requests per second over real HTTP, a session counter per request: the
 * handler reads the session, increments `n`, saves, and returns it as JSON.
 *
 * - Stateful, Express 5: @tessera/express on @tessera/store's MemoryStore
 *   against bare Express (no session) and express-session on its MemoryStore.
 * - Stateless, node:http: @tessera/session's sealed cookie against
 *   iron-session's sealed cookie.
 * - Diagnostic: the same @tessera/session calls inline in an Express handler
 *   (no adapter), which separates the adapter's cost from the session's; and
 *   bare Express with two empty async hops (before the handler, before the
 *   response), the floor any async session middleware pays.
 *
 * Two figures per side: req/s (what autocannon saw) and the server process's
 * CPU time per request (process.cpuUsage around each measurement), which is
 * much steadier when other work shares the machine.
 *
 * Each server runs in its own child process (this file, started with
 * TESSERA_HTTP_BENCH_SERVER=<scenario>) so autocannon, in this process, does
 * not share its event loop. 50 connections, each with its own session made
 * before timing (one warm-up request without a cookie per connection), on
 * 127.0.0.1. Rounds interleave the scenarios; medians are reported.
 * HTTP_BENCH_SECONDS (default 3) sets the length of one measurement.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { type Benchmark, median, type Row } from "../harness.js";
import { loadWithSessions, visit } from "../http-load.js";
import { pinningNote, pinServer, withPinnedLoad } from "../pin.js";

const CONNECTIONS = 50;
type Scenario =
  | "bare"
  | "bare-async"
  | "bare-prop"
  | "tessera"
  | "tessera-inline"
  | "express-session"
  | "tessera-stateless"
  | "iron-session";

async function startServer(scenario: Scenario): Promise<number> {
  const json = (res: ServerResponse, n: number) => {
    const body = JSON.stringify({ n });
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  };
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  if (scenario === "tessera-stateless" || scenario === "iron-session") {
    if (scenario === "tessera-stateless") {
      const { createSessions } = await import("@tessera/session");
      const sessions = createSessions<{ n: number }>({
        keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
      });
      handler = (req, res) => {
        void (async () => {
          const session = await sessions.load(req.headers.cookie);
          session.set("n", (session.get("n") ?? 0) + 1);
          const cookies = await sessions.commit(session);
          res.setHeader("set-cookie", cookies);
          res.setHeader("cache-control", "no-store");
          json(res, session.get("n")!);
        })();
      };
    } else {
      const { getIronSession } = await import("iron-session");
      const options = { password: randomToken(32), cookieName: "__Host-sid" };
      handler = (req, res) => {
        void (async () => {
          const session = await getIronSession<{ n?: number }>(req, res, options);
          session.n = (session.n ?? 0) + 1;
          await session.save();
          json(res, session.n);
        })();
      };
    }
  } else {
    const express = (await import("express")).default;
    const app = express();
    app.set("etag", false);
    if (scenario === "bare" || scenario === "bare-async" || scenario === "bare-prop") {
      if (scenario === "bare-prop") {
        // The floor of any middleware exposing req.session: one property added
        // to Express's request, nothing else. Express 5 gives every request
        // object a hidden class of its own, so each added property copies a map.
        app.use((req, _res, next) => {
          (req as unknown as { session: object }).session = { n: 0 };
          next();
        });
      }
      if (scenario === "bare-async") {
        // The floor of any async session middleware: an awaited store read before
        // the handler and an awaited write before the response, with no work in them.
        app.use((_req, res, next) => {
          const end = res.end;
          res.end = function (this: typeof res, ...args: unknown[]) {
            void Promise.resolve().then(() =>
              (end as (...a: unknown[]) => unknown).apply(this, args),
            );
            return this;
          } as typeof res.end;
          void Promise.resolve().then(() => next());
        });
      }
      let n = 0;
      app.get("/", (_req, res) => {
        n++;
        res.json({ n });
      });
    } else if (scenario === "tessera-inline") {
      // The same session work with no adapter: separates adapter cost from session cost.
      const { createSessions } = await import("@tessera/session");
      const sessions = createSessions<{ n: number }>({
        keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
        store: new MemoryStore(),
      });
      app.get("/", (req, res, next) => {
        sessions
          .load(req.headers.cookie, { userAgent: req.headers["user-agent"], ip: req.ip })
          .then(async (session) => {
            session.set("n", (session.get("n") ?? 0) + 1);
            const cookies = await sessions.commit(session);
            if (cookies.length) res.setHeader("set-cookie", cookies);
            res.json({ n: session.get("n") });
          }, next);
      });
    } else if (scenario === "tessera") {
      const { createSessions } = await import("@tessera/session");
      // @tessera/express is not a dependency of apps/bench; read its build directly.
      const { sessionMiddleware } = await import("../../../../packages/express/dist/index.js");
      const sessions = createSessions<{ n: number }>({
        keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
        store: new MemoryStore(),
      });
      app.use(sessionMiddleware(sessions));
      app.get("/", (req, res) => {
        const session = req.session as unknown as {
          get(k: "n"): number | undefined;
          set(k: "n", v: number): void;
        };
        session.set("n", (session.get("n") ?? 0) + 1);
        res.json({ n: session.get("n") });
      });
    } else {
      const expressSession = (await import("express-session")).default;
      app.use(
        expressSession({
          secret: randomToken(32),
          store: new expressSession.MemoryStore(),
          resave: false,
          saveUninitialized: false,
          name: "__Host-sid",
          cookie: { secure: false, httpOnly: true, sameSite: "lax", path: "/" },
        }),
      );
      app.get("/", (req, res) => {
        const session = req.session as unknown as { n?: number };
        session.n = (session.n ?? 0) + 1;
        res.json({ n: session.n });
      });
    }
    handler = app as unknown as typeof handler;
  }
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const child = process.env.TESSERA_HTTP_BENCH_SERVER as Scenario | undefined;
if (child !== undefined) {
  const port = await startServer(child);
  // A clean exit on SIGINT lets --cpu-prof (HTTP_BENCH_PROFILE=<scenario>) write its profile.
  process.on("SIGINT", () => process.exit(0));
  // The parent asks for this process's CPU time around each measurement.
  process.on("message", () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  process.send?.({ port });
}

interface Running {
  scenario: Scenario;
  process: ChildProcess;
  port: number;
  cookies: string[];
}

function cpuOf(proc: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    proc.once("message", (m) => resolve((m as { cpu: number }).cpu));
    proc.send("cpu");
  });
}

async function spawnServer(scenario: Scenario): Promise<{ process: ChildProcess; port: number }> {
  // Other packages' builds may briefly remove a dist this server imports: retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(scenario);
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

function spawnOnce(scenario: Scenario): Promise<{ process: ChildProcess; port: number }> {
  const tsx = import.meta.resolve("tsx");
  const extra = process.env.HTTP_BENCH_PROFILE === scenario ? ["--cpu-prof"] : [];
  const proc = spawn(
    process.execPath,
    [...extra, "--import", tsx, fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, TESSERA_HTTP_BENCH_SERVER: scenario, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  pinServer(proc.pid);
  return new Promise((resolve, reject) => {
    proc.once("message", (m) => resolve({ process: proc, port: (m as { port: number }).port }));
    proc.once("exit", (code) => reject(new Error(`${scenario} server exited with ${code}`)));
  });
}

interface Measured {
  rps: number;
  /** Server CPU microseconds per request: steadier than req/s on a shared machine. */
  cpuPerRequest: number;
}

async function measure(server: Running, seconds: number): Promise<Measured> {
  const cpuBefore = await cpuOf(server.process);
  const result = await loadWithSessions({
    url: `http://127.0.0.1:${server.port}/`,
    cookies: server.cookies,
    seconds,
    connections: CONNECTIONS,
  });
  const cpu = (await cpuOf(server.process)) - cpuBefore;
  return { rps: result.rps, cpuPerRequest: cpu / result.total };
}

const ALL_SCENARIOS: Scenario[] = [
  "bare",
  "bare-async",
  "bare-prop",
  "tessera",
  "tessera-inline",
  "express-session",
  "tessera-stateless",
  "iron-session",
];
/**
 * HTTP_BENCH_SCENARIOS=bare,tessera measures a subset (for quick A/B work);
 * rows whose scenarios were not measured are left out.
 */
const SCENARIOS: Scenario[] = process.env.HTTP_BENCH_SCENARIOS
  ? ALL_SCENARIOS.filter((s) => process.env.HTTP_BENCH_SCENARIOS!.split(",").includes(s))
  : ALL_SCENARIOS;

const benchmark: Benchmark = {
  id: "http",
  title: "HTTP: session counter through the Express adapter and stateless cookies (autocannon)",
  run(options) {
    return withPinnedLoad(() => measureAll(options.rounds));
  },
};

async function measureAll(requestedRounds: number): Promise<Row[]> {
  const seconds = Number(process.env.HTTP_BENCH_SECONDS ?? 3);
  const rounds = Math.max(3, requestedRounds);
  const servers: Running[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const started = await spawnServer(scenario);
      const cookies: string[] = [];
      for (let i = 0; i < CONNECTIONS; i++) cookies.push(await visit(started.port));
      servers.push({ scenario, ...started, cookies });
    }
    for (const s of servers) await measure(s, 1);
    const rps = new Map<Scenario, number[]>(SCENARIOS.map((s) => [s, []]));
    const cpu = new Map<Scenario, number[]>(SCENARIOS.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const s of order) {
        const r = await measure(s, seconds);
        rps.get(s.scenario)!.push(r.rps);
        cpu.get(s.scenario)!.push(r.cpuPerRequest);
      }
    }
    const m = (s: Scenario) => median(rps.get(s) ?? []);
    const c = (s: Scenario) => median(cpu.get(s) ?? []);
    const note = `median of ${rounds} rounds of ${seconds} s, ${CONNECTIONS} connections, ${pinningNote()}`;
    const rows: Row[] = [
      {
        case: "Express 5, session counter on MemoryStore: Tessera vs bare Express (no session)",
        ours: m("tessera"),
        peer: m("bare"),
        peerName: "express@5.3.0, no session",
        unit: "req/s",
        ratio: m("tessera") / m("bare"),
        target: 0.9,
        note,
      },
      {
        case: "Express 5, session counter on MemoryStore: Tessera vs express-session",
        ours: m("tessera"),
        peer: m("express-session"),
        peerName: "express-session@1.19.0 MemoryStore",
        unit: "req/s",
        ratio: m("tessera") / m("express-session"),
        note: `${note}; express-session = ${(m("express-session") / m("bare")).toFixed(2)}x bare Express`,
      },
      {
        case: "node:http, sealed-cookie counter: Tessera stateless vs iron-session",
        ours: m("tessera-stateless"),
        peer: m("iron-session"),
        peerName: "iron-session@9.0.1",
        unit: "req/s",
        ratio: m("tessera-stateless") / m("iron-session"),
        // Sealing is jose's compact JWE (no code of our own): the floor kept is 3x.
        target: 3,
        note: `${note}; iron-session = ${(m("iron-session") / m("bare")).toFixed(2)}x bare Express`,
      },
      {
        case: "server CPU per request, Express 5 + MemoryStore: Tessera vs bare Express",
        ours: c("tessera"),
        peer: c("bare"),
        peerName: "express@5.3.0, no session",
        unit: "µs/req",
        ratio: c("bare") / c("tessera"),
        target: 0.9,
        note: "same runs; CPU time of the server process / requests served",
      },
      {
        case: "server CPU per request, diagnostic: bare Express with two empty async hops (the floor of any async session middleware) vs bare Express",
        ours: c("bare-async"),
        peer: c("bare"),
        peerName: "express@5.3.0, no session",
        unit: "µs/req",
        ratio: c("bare") / c("bare-async"),
        note: "same runs; no session work at all: what deferring the handler and the response costs",
      },
      {
        case: "server CPU per request, diagnostic: bare Express plus a middleware that only sets req.session (the floor of any middleware exposing it) vs bare Express",
        ours: c("bare-prop"),
        peer: c("bare"),
        peerName: "express@5.3.0, no session",
        unit: "µs/req",
        ratio: c("bare") / c("bare-prop"),
        note: "same runs; no session work: one middleware layer and one property added to the request",
      },
      {
        case: "server CPU per request, Express 5 + MemoryStore: Tessera adapter vs the same session calls inline (no adapter)",
        ours: c("tessera"),
        peer: c("tessera-inline"),
        peerName: "@tessera/session load/commit in the handler",
        unit: "µs/req",
        ratio: c("tessera-inline") / c("tessera"),
        note: "same runs; what the adapter itself costs",
      },
      {
        case: "server CPU per request, Express 5 + MemoryStore: Tessera vs express-session",
        ours: c("tessera"),
        peer: c("express-session"),
        peerName: "express-session@1.19.0 MemoryStore",
        unit: "µs/req",
        ratio: c("express-session") / c("tessera"),
        note: `same runs; express-session = ${(c("bare") / c("express-session")).toFixed(2)}x bare Express`,
      },
      {
        case: "server CPU per request, node:http sealed cookie: Tessera stateless vs iron-session",
        ours: c("tessera-stateless"),
        peer: c("iron-session"),
        peerName: "iron-session@9.0.1",
        unit: "µs/req",
        ratio: c("iron-session") / c("tessera-stateless"),
        target: 3,
        note: "same runs",
      },
    ];
    return rows.filter((r) => Number.isFinite(r.ours) && Number.isFinite(r.peer));
  } finally {
    for (const s of servers) s.process.kill("SIGINT");
  }
}

export default benchmark;
