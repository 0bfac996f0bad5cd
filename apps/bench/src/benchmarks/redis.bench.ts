/**
 * HTTP requests per second for a session counter on Redis: Tessera
 * (@tessera/session over @tessera/store-redis) against express-session with
 * connect-redis, both on Express 5 and node-redis, against the same Redis
 * server from scripts/services (REDIS_URL; the run fails with the start hint
 * when it is not up).
 *
 * Each side runs in its own child process pinned to one core (autocannon
 * drives it from this process, pinned to the other; Redis floats): 50
 * connections, one pre-created session per connection, 127.0.0.1. Two handlers: one reads the
 * counter, increments it and saves (a changed session); one only reads it (an
 * unchanged session). Rounds alternate between the sides; medians are
 * reported, with the Redis commands each side's client sent per request
 * (counted at the client, so commands run inside Lua scripts do not count:
 * they are not round trips), the server process's CPU per request, and
 * Redis's own CPU per request (INFO cpu before and after each run: Redis
 * shares the machine's cores with the server and the load generator, so a
 * costlier script is a slower server).
 *
 * REDIS_BENCH_PATHS=/ measures the changed-session scenario only (quick A/B);
 * REDIS_BENCH_PROFILE=ours (or peer) writes a --cpu-prof of that server child
 * into apps/bench/tmp/prof when the run ends.
 *
 * Both sides are Express middleware: @tessera/express on one, express-session
 * on the other, configured alike. The changed session is measured three
 * times: with a browser-session cookie on both sides (no Set-Cookie per
 * change), with a persistent cookie on both (Max-Age, re-sent on every
 * change: express-session's maxAge, Tessera's cookie.persistent), and for a
 * signed-in user (browser-session cookie), whose every write also keeps
 * Tessera's per-user index (connect-redis has none).
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type Benchmark, median, type Row } from "../harness.js";
import { loadWithSessions } from "../http-load.js";
import { pinningNote, withPinnedLoad } from "../pin.js";
import { type ServerChild, startServerChild } from "../server-child.js";
import { mountTessera } from "../tessera-app.js";

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

  // Set per child by the driver. "persistent": both sides send a cookie with
  // Max-Age and refresh it on every change (Tessera's persistent cookie,
  // express-session's maxAge); otherwise a browser-session cookie on both.
  // "signed-in": each session's first visit signs a user in (Tessera's login,
  // a userId field on the peer), so Tessera's writes also keep the per-user index.
  const mode = process.env.REDIS_BENCH_COOKIE;
  const persistent = mode === "persistent";
  const signIn = mode === "signed-in";
  if (side === "ours") {
    const { RedisStore, fromNodeRedis } = await import("@tessera/store-redis");
    await mountTessera(app, {
      store: new RedisStore({ client: fromNodeRedis(client), prefix }),
      persistent,
      signIn,
      onRequest: () => requests++,
      reply: (res, n) => res.send(String(n)),
    });
  } else {
    const { default: expressSession } = await import("express-session");
    const { RedisStore: ConnectRedis } = await import("connect-redis");
    app.use(
      expressSession({
        store: new ConnectRedis({ client, prefix }),
        secret: "a".repeat(32),
        resave: false,
        saveUninitialized: false,
        // A browser-session cookie, as Tessera's default: no Set-Cookie on
        // every changed response (express-session sends one when maxAge is set).
        cookie: { httpOnly: true, sameSite: "lax", ...(persistent ? { maxAge: 86_400_000 } : {}) },
      }),
    );
    let users = 0;
    app.get("/", (req, res) => {
      requests++;
      const session = req.session as unknown as { n?: number; userId?: string };
      if (signIn && session.userId === undefined) session.userId = `user-${++users}`;
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

type Server = ServerChild;

function start(side: Side, cookie: Mode): Promise<Server> {
  const profile =
    process.env.REDIS_BENCH_PROFILE === side
      ? [
          "--cpu-prof",
          `--cpu-prof-dir=${fileURLToPath(new URL("../../tmp/prof", import.meta.url))}`,
        ]
      : [];
  return startServerChild({
    file: fileURLToPath(import.meta.url),
    env: { [SIDE_ENV]: side, REDIS_BENCH_COOKIE: cookie },
    execArgv: profile,
    label: `${side} (is Redis up? pnpm services:up)`,
    sessions: CONNECTIONS,
  });
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

type RedisInfo = { sendCommand(args: string[]): Promise<unknown> };

/** Seconds of CPU the redis-server process has used (user + system), from INFO cpu. */
async function redisCpuSeconds(redis: RedisInfo): Promise<number> {
  const info = String(await redis.sendCommand(["INFO", "cpu"]));
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1]);
  return field("used_cpu_sys") + field("used_cpu_user");
}

/** How a child's sessions are made: the cookie kind, and whether a user signs in. */
type Mode = "session" | "persistent" | "signed-in";

interface Scenario {
  case: string;
  path: string;
  /**
   * Browser-session cookie on both sides, or a persistent one (Max-Age) on
   * both, or a browser-session cookie on sessions a user signed in to.
   */
  cookie: Mode;
  /** Short label for the diagnostic rows. */
  label: string;
  target?: number;
}

const ALL_SCENARIOS: Scenario[] = [
  {
    case: "session counter over HTTP: load, increment, save (changed session; browser-session cookie on both sides)",
    path: "/",
    cookie: "session",
    label: "changed session, browser-session cookie",
    target: 1.5,
  },
  {
    case: "session counter over HTTP: load, increment, save (changed session; persistent cookie with Max-Age re-sent on every change, both sides)",
    path: "/",
    cookie: "persistent",
    label: "changed session, persistent cookie",
    target: 1.5,
  },
  {
    case: "session counter over HTTP: load, increment, save (changed session of a signed-in user; browser-session cookie on both sides)",
    path: "/",
    cookie: "signed-in",
    label: "changed session, signed-in user",
  },
  {
    case: "session read over HTTP: load, read, no change (unchanged session; browser-session cookie)",
    path: "/read",
    cookie: "session",
    label: "unchanged session",
  },
];
const SCENARIOS = process.env.REDIS_BENCH_PATHS
  ? ALL_SCENARIOS.filter((s) => process.env.REDIS_BENCH_PATHS!.split(",").includes(s.path))
  : ALL_SCENARIOS;

const PEER = "express-session@1.19.0 + connect-redis@10.0.0";

const benchmark: Benchmark = {
  id: "redis",
  title: "@tessera/store-redis against connect-redis (HTTP, Express, node-redis)",
  run(options) {
    return withPinnedLoad(() => measureAll(options.rounds));
  },
};

async function measureAll(rounds: number): Promise<Row[]> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const { createClient } = await import("redis");
  const { requireService } = await import("../../../../scripts/test-env.js");
  const redis = createClient({ url: await requireService("REDIS_URL") });
  redis.on("error", () => undefined);
  await redis.connect();
  const started = new Map<Mode, Record<Side, Server>>();
  try {
    for (const scenario of SCENARIOS) {
      if (started.has(scenario.cookie)) continue;
      started.set(scenario.cookie, {
        ours: await start("ours", scenario.cookie),
        peer: await start("peer", scenario.cookie),
      });
    }
    type Samples = Record<Side, number[]>;
    const empty = (): Samples => ({ ours: [], peer: [] });
    const samples = SCENARIOS.map(() => ({
      rates: empty(),
      trips: empty(),
      cpu: empty(),
      redisCpu: empty(),
    }));
    // Warm-up: JIT, connections, script cache, for every server and path.
    for (const scenario of SCENARIOS) {
      const servers = started.get(scenario.cookie)!;
      await load(servers.ours, scenario.path, 2);
      await load(servers.peer, scenario.path, 2);
    }
    // Rounds visit every scenario, starting from a different one each round
    // and alternating which side goes first: whatever runs first in a round
    // measured slower on this machine, and no row may always be that one.
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < SCENARIOS.length; k++) {
        const index = (round + k) % SCENARIOS.length;
        const scenario = SCENARIOS[index]!;
        const servers = started.get(scenario.cookie)!;
        const { rates, trips, cpu, redisCpu } = samples[index]!;
        const order: Side[] = (round + k) % 2 === 0 ? ["ours", "peer"] : ["peer", "ours"];
        for (const side of order) {
          const before = await stats(servers[side]);
          const redisBefore = await redisCpuSeconds(redis);
          rates[side].push(await load(servers[side], scenario.path, seconds));
          const redisAfter = await redisCpuSeconds(redis);
          const after = await stats(servers[side]);
          const served = after.requests - before.requests;
          trips[side].push((after.commands - before.commands) / served);
          cpu[side].push((after.cpuMicros - before.cpuMicros) / served);
          redisCpu[side].push(((redisAfter - redisBefore) * 1e6) / served);
        }
      }
    }
    const rows: Row[] = [];
    for (const [index, scenario] of SCENARIOS.entries()) {
      const which = scenario.label;
      const { rates, trips, cpu, redisCpu } = samples[index]!;
      const ours = median(rates.ours);
      const peer = median(rates.peer);
      rows.push({
        case: scenario.case,
        ours: Math.round(ours),
        peer: Math.round(peer),
        peerName: PEER,
        unit: "req/s",
        ratio: ours / peer,
        ...(scenario.target === undefined ? {} : { target: scenario.target }),
        note: `${rounds} rounds of ${seconds} s, ${CONNECTIONS} connections, ${pinningNote()}`,
      });
      // Commands each side's client sent per request: a cost, so the ratio is peer/ours.
      const ourTrips = median(trips.ours);
      const peerTrips = median(trips.peer);
      rows.push({
        case: `Redis round trips per request (${which})`,
        ours: Number(ourTrips.toFixed(2)),
        peer: Number(peerTrips.toFixed(2)),
        peerName: PEER,
        unit: "commands/req",
        ratio: peerTrips / ourTrips,
        note: "counted at the node-redis client; commands inside Lua scripts are not round trips",
      });
      // Server process CPU per request: steadier than req/s on a shared, busy machine.
      const ourCpu = median(cpu.ours);
      const peerCpu = median(cpu.peer);
      rows.push({
        case: `server CPU per request (${which})`,
        ours: Math.round(ourCpu),
        peer: Math.round(peerCpu),
        peerName: PEER,
        unit: "µs/req",
        ratio: peerCpu / ourCpu,
        note: `process.cpuUsage() of the server child over the timed run, ${pinningNote()}`,
      });
      // Redis shares the cores: its CPU per request is part of what a request costs.
      const ourRedis = median(redisCpu.ours);
      const peerRedis = median(redisCpu.peer);
      // One decimal: the whole figure is a few µs, and whole µs hid a 20% difference.
      rows.push({
        case: `Redis server CPU per request (${which})`,
        ours: Number(ourRedis.toFixed(1)),
        peer: Number(peerRedis.toFixed(1)),
        peerName: PEER,
        unit: "µs/req",
        ratio: peerRedis / ourRedis,
        note: "INFO cpu (used_cpu_user + used_cpu_sys) of redis-server over the timed run; includes any other client of that server",
      });
    }
    return rows;
  } finally {
    for (const servers of started.values()) {
      for (const server of Object.values(servers)) server.child.kill("SIGINT");
    }
    await redis.quit();
  }
}

export default benchmark;
