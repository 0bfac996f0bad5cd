/**
 * HTTP requests per second for a session counter on Redis: Tessera
 * (@tessera/session over @tessera/store-redis) against express-session with
 * connect-redis, both on Express 5 and node-redis, against the same Redis
 * server from scripts/services (REDIS_URL; the run fails with the start hint
 * when it is not up).
 *
 * Each side runs in its own child process (the server gets a core of its
 * own; autocannon drives it from this process): 50 connections, one
 * pre-created session per connection, 127.0.0.1. Two handlers: one reads the
 * counter, increments it and saves (a changed session); one only reads it (an
 * unchanged session). Rounds alternate between the sides; medians are
 * reported, with the Redis commands each side's client sent per request
 * (counted at the client, so commands run inside Lua scripts do not count:
 * they are not round trips).
 *
 * Express glue for Tessera is inline (a dozen lines) until @tessera/express lands.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Request, Response } from "express";
import { type Benchmark, median, type Row } from "../harness.js";
import { loadWithSessions } from "../http-load.js";

const SIDE_ENV = "TESSERA_REDIS_BENCH_SERVER";
const CONNECTIONS = 50;

type Side = "ours" | "peer";

// ---- the servers (child processes) -------------------------------------

async function serve(side: Side): Promise<void> {
  const { default: express } = await import("express");
  const { createClient } = await import("redis");
  const { requireService } = await import("../../../../scripts/test-env.js");
  const url = await requireService("REDIS_URL");
  const client = createClient({ url, disableOfflineQueue: true });
  client.on("error", () => undefined);
  await client.connect();
  // Count round trips: every node-redis command, whichever method issued it, ends in
  // sendCommand on the client's inner instance (`_self`; the object createClient returns
  // delegates to it), so one wrapper there counts both sides alike.
  let commands = 0;
  type Send = (...args: unknown[]) => Promise<unknown>;
  const inner = ((client as unknown as { _self?: { sendCommand: Send } })._self ??
    client) as unknown as { sendCommand: Send };
  const send = inner.sendCommand.bind(inner);
  inner.sendCommand = (...args) => {
    commands++;
    return send(...args);
  };
  let requests = 0;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  const prefix = `bench:${side}:${process.pid}:`;

  if (side === "ours") {
    const { createSessions } = await import("@tessera/session");
    const { RedisStore, fromNodeRedis } = await import("@tessera/store-redis");
    const { createKeyring, randomToken } = await import("@tessera/signing");
    const sessions = createSessions<{ n: number }>({
      keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
      store: new RedisStore({ client: fromNodeRedis(client), prefix }),
    });
    const handle = (change: boolean) => async (req: Request, res: Response) => {
      requests++;
      try {
        const session = await sessions.load(req.headers.cookie ?? "");
        let n = session.get("n") ?? 0;
        if (change) session.set("n", ++n);
        const setCookie = await sessions.commit(session);
        if (setCookie.length > 0) res.setHeader("set-cookie", setCookie);
        res.send(String(n));
      } catch (error) {
        // The load driver fails the run on any non-2xx; say why first.
        console.error("tessera side:", error);
        res.status(503).end();
      }
    };
    app.get("/", handle(true));
    app.get("/read", handle(false));
  } else {
    const { default: expressSession } = await import("express-session");
    const { RedisStore: ConnectRedis } = await import("connect-redis");
    app.use(
      expressSession({
        store: new ConnectRedis({ client, prefix }),
        secret: "a".repeat(32),
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: "lax", maxAge: 86_400_000 },
      }),
    );
    app.get("/", (req, res) => {
      requests++;
      const session = req.session as unknown as { n?: number };
      session.n = (session.n ?? 0) + 1;
      res.send(String(session.n));
    });
    app.get("/read", (req, res) => {
      requests++;
      res.send(String((req.session as unknown as { n?: number }).n ?? 0));
    });
  }
  app.get("/stats", (_req, res) => {
    const cpu = process.cpuUsage();
    res.json({ commands, requests, cpuMicros: cpu.user + cpu.system });
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
}

const childSide = process.env[SIDE_ENV];
if (childSide === "ours" || childSide === "peer") {
  // A clean exit on SIGINT lets a --cpu-prof run write its profile.
  process.on("SIGINT", () => process.exit(0));
  serve(childSide).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

// ---- the driver (this process) -----------------------------------------

interface Server {
  child: ChildProcess;
  base: string;
  cookies: string[];
}

async function start(side: Side): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [SIDE_ENV]: side },
    execArgv: process.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [message] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(() => {
      throw new Error(`${side} server exited during startup (is Redis up? pnpm services:up)`);
    }),
  ])) as [{ port: number }];
  const base = `http://127.0.0.1:${message.port}`;
  // One session per connection, created over HTTP like a first visit.
  const cookies: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const response = await fetch(`${base}/`);
    const setCookie = response.headers.getSetCookie()[0];
    if (!response.ok || setCookie === undefined) throw new Error(`${side}: no session created`);
    cookies.push(setCookie.slice(0, setCookie.indexOf(";")));
  }
  return { child, base, cookies };
}

interface Stats {
  commands: number;
  requests: number;
  cpuMicros: number;
}

async function stats(server: Server): Promise<Stats> {
  return (await (await fetch(`${server.base}/stats`)).json()) as Stats;
}

async function load(server: Server, path: string, seconds: number): Promise<number> {
  const url = `${server.base}${path}`;
  return (
    await loadWithSessions({ url, cookies: server.cookies, seconds, connections: CONNECTIONS })
  ).rps;
}

interface Scenario {
  case: string;
  path: string;
  target?: number;
}

const SCENARIOS: Scenario[] = [
  {
    case: "session counter over HTTP: load, increment, save (changed session)",
    path: "/",
    target: 1.5,
  },
  { case: "session read over HTTP: load, read, no change (unchanged session)", path: "/read" },
];

const benchmark: Benchmark = {
  id: "redis",
  title: "@tessera/store-redis against connect-redis (HTTP, Express, node-redis)",
  async run(options) {
    const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
    const servers = { ours: await start("ours"), peer: await start("peer") };
    try {
      const rows: Row[] = [];
      for (const scenario of SCENARIOS) {
        // Warm-up: JIT, connections, script cache.
        await load(servers.ours, scenario.path, 2);
        await load(servers.peer, scenario.path, 2);
        const rates: Record<Side, number[]> = { ours: [], peer: [] };
        const trips: Record<Side, number[]> = { ours: [], peer: [] };
        const cpu: Record<Side, number[]> = { ours: [], peer: [] };
        for (let round = 0; round < options.rounds; round++) {
          const order: Side[] = round % 2 === 0 ? ["ours", "peer"] : ["peer", "ours"];
          for (const side of order) {
            const before = await stats(servers[side]);
            rates[side].push(await load(servers[side], scenario.path, seconds));
            const after = await stats(servers[side]);
            const served = after.requests - before.requests;
            trips[side].push((after.commands - before.commands) / served);
            cpu[side].push((after.cpuMicros - before.cpuMicros) / served);
          }
        }
        const ours = median(rates.ours);
        const peer = median(rates.peer);
        rows.push({
          case: scenario.case,
          ours: Math.round(ours),
          peer: Math.round(peer),
          peerName: "express-session@1.19.0 + connect-redis@10.0.0",
          unit: "req/s",
          ratio: ours / peer,
          ...(scenario.target === undefined ? {} : { target: scenario.target }),
          note: `${options.rounds} rounds of ${seconds} s, 50 connections`,
        });
        // Commands each side's client sent per request: a cost, so the ratio is peer/ours.
        const ourTrips = median(trips.ours);
        const peerTrips = median(trips.peer);
        rows.push({
          case: `Redis round trips per request (${scenario.path === "/" ? "changed" : "unchanged"} session)`,
          ours: Number(ourTrips.toFixed(2)),
          peer: Number(peerTrips.toFixed(2)),
          peerName: "express-session@1.19.0 + connect-redis@10.0.0",
          unit: "commands/req",
          ratio: peerTrips / ourTrips,
          note: "counted at the node-redis client; commands inside Lua scripts are not round trips",
        });
        // Server process CPU per request: steadier than req/s on a shared, busy machine.
        const ourCpu = median(cpu.ours);
        const peerCpu = median(cpu.peer);
        rows.push({
          case: `server CPU per request (${scenario.path === "/" ? "changed" : "unchanged"} session)`,
          ours: Math.round(ourCpu),
          peer: Math.round(peerCpu),
          peerName: "express-session@1.19.0 + connect-redis@10.0.0",
          unit: "µs/req",
          ratio: peerCpu / ourCpu,
          note: "process.cpuUsage() of the server child over the timed run",
        });
      }
      return rows;
    } finally {
      for (const server of Object.values(servers)) server.child.kill();
    }
  },
};

export default benchmark;
