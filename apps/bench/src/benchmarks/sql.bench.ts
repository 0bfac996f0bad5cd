/**
 * HTTP requests per second for a session counter on PostgreSQL: Tessera
 * (@tessera/session over @tessera/store-sql with a pg Pool) against
 * express-session with connect-pg-simple, both on Express 5 with a pg Pool
 * of the same size, against the same server from scripts/services.
 *
 * Each side runs in its own child process pinned to one core (autocannon
 * drives it from this process, pinned to the other; PostgreSQL floats): 50
 * connections, one pre-created session per connection, 127.0.0.1. Every
 * request loads the session, increments a counter, saves it and returns it.
 * Rounds alternate between the sides; medians are reported, with PostgreSQL
 * queries per request and the server process's CPU per request.
 *
 * Both sides are Express middleware: @tessera/express on one, express-session
 * on the other, configured alike. The changed session is measured twice:
 * with a browser-session cookie on both sides (no Set-Cookie per change),
 * and with a persistent cookie on both (Max-Age, re-sent on every change:
 * express-session's maxAge, Tessera's cookie.persistent).
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type Benchmark, median, type Row } from "../harness.js";
import { loadWithSessions } from "../http-load.js";
import { pinningNote, withPinnedLoad } from "../pin.js";
import { type ServerChild, startServerChild } from "../server-child.js";
import { mountTessera } from "../tessera-app.js";

const SIDE_ENV = "TESSERA_SQL_BENCH_SERVER";
const CONNECTIONS = 50;
const OUR_TABLE = "bench_tessera_sessions";
const PEER_TABLE = "bench_peer_sessions";

type Side = "ours" | "peer";

/** Browser-session cookie on both sides, or a persistent one (Max-Age) on both. */
type CookieMode = "session" | "persistent";

// ---- the servers (child processes) -------------------------------------

async function serve(side: Side): Promise<void> {
  const { default: express } = await import("express");
  const { default: pg } = await import("pg");
  const { requireService } = await import("../../../../scripts/test-env.js");
  const url = await requireService("DATABASE_URL_PG");
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", () => undefined);
  // Count round trips: both stores call pool.query for every statement.
  let queries = 0;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    queries++;
    return query(...args);
  };
  let requests = 0;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // Set per child by the driver. "persistent": both sides send a cookie with
  // Max-Age and refresh it on every change (Tessera's persistent cookie,
  // express-session's maxAge); otherwise a browser-session cookie on both.
  const persistent = process.env.SQL_BENCH_COOKIE === "persistent";

  if (side === "ours") {
    const { SqlStore, pgExecutor } = await import("@tessera/store-sql");
    const store = new SqlStore(pgExecutor(pool), { table: OUR_TABLE });
    await store.migrate();
    await pool.query(`TRUNCATE "${OUR_TABLE}"`);
    await mountTessera(app, {
      store,
      persistent,
      onRequest: () => requests++,
      reply: (res, n) => res.send(String(n)),
    });
  } else {
    const { default: expressSession } = await import("express-session");
    const { default: connectPgSimple } = await import("connect-pg-simple");
    const PgStore = connectPgSimple(expressSession);
    // connect-pg-simple creates its table (with its own DDL) on first use.
    await pool.query(`DROP TABLE IF EXISTS "${PEER_TABLE}"`);
    const store = new PgStore({
      pool,
      tableName: PEER_TABLE,
      createTableIfMissing: true,
      pruneSessionInterval: false,
    });
    app.use(
      expressSession({
        store,
        secret: "a".repeat(32),
        resave: false,
        saveUninitialized: false,
        // maxAge only in "persistent" mode: with it express-session sends a
        // Set-Cookie on every changed response, which Tessera's default
        // browser-session cookie does not (it was set in both modes before).
        cookie: { httpOnly: true, sameSite: "lax", ...(persistent ? { maxAge: 86_400_000 } : {}) },
      }),
    );
    app.get("/", (req, res) => {
      requests++;
      const session = req.session as unknown as { n?: number };
      session.n = (session.n ?? 0) + 1;
      res.send(String(session.n));
    });
  }
  app.get("/stats", (_req, res) => {
    const cpu = process.cpuUsage();
    res.json({ queries, requests, cpu: cpu.user + cpu.system });
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
}

const childSide = process.env[SIDE_ENV];
if (childSide === "ours" || childSide === "peer") {
  serve(childSide).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

// ---- the driver (this process) -----------------------------------------

type Server = ServerChild;

function start(side: Side, cookie: CookieMode): Promise<Server> {
  return startServerChild({
    file: fileURLToPath(import.meta.url),
    env: { [SIDE_ENV]: side, SQL_BENCH_COOKIE: cookie },
    label: side,
    sessions: CONNECTIONS,
  });
}

interface Stats {
  queries: number;
  requests: number;
  /** Server CPU time in microseconds (user + system). */
  cpu: number;
}

async function stats(server: Server): Promise<Stats> {
  return (await (await fetch(`${server.base}/stats`)).json()) as Stats;
}

async function load(server: Server, seconds: number): Promise<number> {
  const { base: url, cookies } = server;
  return (await loadWithSessions({ url, cookies, seconds, connections: CONNECTIONS })).rps;
}

interface Scenario {
  case: string;
  cookie: CookieMode;
  target: number;
}

const SCENARIOS: Scenario[] = [
  {
    case: "session counter over HTTP: load, increment, save (pg Pool, 50 connections; browser-session cookie on both sides)",
    cookie: "session",
    target: 1.3,
  },
  {
    case: "session counter over HTTP: load, increment, save (pg Pool, 50 connections; persistent cookie with Max-Age re-sent on every change, both sides)",
    cookie: "persistent",
    target: 1.3,
  },
];

const benchmark: Benchmark = {
  id: "sql",
  title: "@tessera/store-sql on PostgreSQL against connect-pg-simple (HTTP, Express)",
  run(options) {
    return withPinnedLoad(() => measureAll(options.rounds));
  },
};

async function measureAll(rounds: number): Promise<Row[]> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    // A pair of servers per cookie mode, stopped before the next pair starts
    // (each server empties its side's table when it starts).
    const started: Partial<Record<Side, Server>> = {};
    try {
      started.ours = await start("ours", scenario.cookie);
      started.peer = await start("peer", scenario.cookie);
      const servers = started as Record<Side, Server>;
      // Warm-up: JIT, pool connections, prepared statements, table pages.
      // Twice each, alternating: the load generator warms up too (the first
      // scenario of a run used to measure slower on both sides).
      for (const side of ["ours", "peer", "ours", "peer"] as const) await load(servers[side], 2);
      const rates: Record<Side, number[]> = { ours: [], peer: [] };
      const trips: Record<Side, number[]> = { ours: [], peer: [] };
      const cpu: Record<Side, number[]> = { ours: [], peer: [] };
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["ours", "peer"] : ["peer", "ours"];
        for (const side of order) {
          const before = await stats(servers[side]);
          rates[side].push(await load(servers[side], seconds));
          const after = await stats(servers[side]);
          const served = after.requests - before.requests;
          trips[side].push((after.queries - before.queries) / served);
          cpu[side].push((after.cpu - before.cpu) / served);
        }
      }
      const ours = median(rates.ours);
      const peer = median(rates.peer);
      const row: Row = {
        case: scenario.case,
        ours: Math.round(ours),
        peer: Math.round(peer),
        peerName: "express-session@1.19.0 + connect-pg-simple@10.0.0",
        unit: "req/s",
        ratio: ours / peer,
        target: scenario.target,
        note: `${rounds} rounds of ${seconds} s, ${pinningNote()}; PostgreSQL queries per request: ours ${median(trips.ours).toFixed(2)}, peer ${median(trips.peer).toFixed(2)}; server CPU per request: ours ${Math.round(median(cpu.ours))} µs, peer ${Math.round(median(cpu.peer))} µs`,
      };
      process.stdout.write(`${row.note}\n`);
      rows.push(row);
    } finally {
      for (const server of Object.values(started)) server.child.kill();
    }
  }
  return rows;
}

export default benchmark;
