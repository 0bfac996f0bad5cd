/**
 * HTTP requests per second for a session counter on Memcached: Tessera
 * (`@tessera/session` + `@tessera/store-memcached` on memjs) against
 * express-session + connect-memcached (the `memcached` client), both on
 * Express 5, both talking to the same Memcached server.
 *
 * Both sides are Express middleware: @tessera/express on one, express-session
 * on the other, configured alike (a `__Host-sid` cookie, Secure behind a
 * trusted proxy header, HttpOnly, SameSite=Lax). The changed session is
 * measured twice: with a browser-session cookie on both sides (no Set-Cookie
 * per change), and with a persistent cookie on both (Max-Age, re-sent on
 * every change: express-session's maxAge, Tessera's cookie.persistent).
 *
 * Each side's server runs in its own child process pinned to one core
 * (autocannon drives it from this process, pinned to the other; Memcached
 * floats): 50 connections, one pre-created session per connection. Each
 * request loads the session, increments a counter, saves it and returns the
 * count. Rounds alternate the two sides; medians are reported, with the
 * Memcached commands per request from the server's own `stats` (cmd_get +
 * cmd_set + cmd_touch + delete_*) and the server process's CPU per request.
 *
 * Run: cd apps/bench && BENCH_ROUNDS=5 npx tsx src/run.ts memcached
 * (needs `pnpm services:up memcached`; MEMCACHED_SERVERS).
 */
import { createRequire } from "node:module";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { requireService } from "../../../../scripts/test-env.js";
import { type Benchmark, median, type Row } from "../harness.js";
import { type LoadResult, loadWithSessions } from "../http-load.js";
import { pinningNote, withPinnedLoad } from "../pin.js";
import { type ServerChild, startServerChild } from "../server-child.js";
import { mountTessera } from "../tessera-app.js";

const CONNECTIONS = 50;
const ROLE = "TESSERA_MEMCACHED_BENCH_ROLE";
const here = fileURLToPath(import.meta.url);

type Side = "tessera" | "peer";

/** Browser-session cookie on both sides, or a persistent one (Max-Age) on both. */
type CookieMode = "session" | "persistent";

// ---------------------------------------------------------------- servers ---

async function serve(
  side: Side,
  server: string,
  prefix: string,
  cookie: CookieMode,
): Promise<void> {
  const { default: express } = await import("express");
  const app = express();
  // Both sides alike, as in the Redis and SQL benches: no ETag (a hash of every body).
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("trust proxy", true);
  const { randomToken } = await import("@tessera/signing");
  const secret = randomToken(32);
  // "persistent": both sides send a cookie with Max-Age and refresh it on
  // every change (Tessera's cookie.persistent, express-session's maxAge);
  // otherwise a browser-session cookie on both.
  const persistent = cookie === "persistent";
  let requests = 0;

  if (side === "peer") {
    const { default: session } = await import("express-session");
    const connectMemcached = createRequire(import.meta.url)("connect-memcached") as (
      s: unknown,
    ) => new (
      options: unknown,
    ) => import("express-session").Store;
    const MemcachedStore = connectMemcached(session);
    app.use(
      session({
        secret,
        store: new MemcachedStore({ hosts: [server], prefix }),
        resave: false,
        saveUninitialized: false,
        proxy: true,
        name: "__Host-sid",
        // No maxAge in "session" mode, as Tessera's default cookie: with
        // maxAge express-session sends a Set-Cookie on every changed response.
        cookie: {
          secure: true,
          httpOnly: true,
          sameSite: "lax",
          path: "/",
          ...(persistent ? { maxAge: 86_400_000 } : {}),
        },
      }),
    );
    app.get("/", (req, res) => {
      requests++;
      const s = req.session as unknown as { n?: number };
      s.n = (s.n ?? 0) + 1;
      res.json({ n: s.n });
    });
  } else {
    const { MemcachedStore, memjsClient } = await import("@tessera/store-memcached");
    const memjs = createRequire(import.meta.url)("memjs") as {
      Client: { create(servers: string, options: object): unknown };
    };
    const client = memjs.Client.create(server, {
      timeout: 0.25,
      conntimeout: 0.5,
      retries: 1,
      keepAlive: true,
      logger: { log() {} },
    }) as Parameters<typeof memjsClient>[0];
    await mountTessera(app, {
      store: new MemcachedStore({ client: memjsClient(client), prefix }),
      persistent,
      onRequest: () => requests++,
      reply: (res, n) => res.json({ n }),
    });
  }
  app.get("/stats", (_req, res) => {
    const cpu = process.cpuUsage();
    res.json({ requests, cpuMicros: cpu.user + cpu.system });
  });

  const listener = app.listen(0, "127.0.0.1", () => {
    const address = listener.address();
    process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
  });
}

if (process.env[ROLE] !== undefined) {
  const [side, server, prefix, cookie] = JSON.parse(process.env[ROLE]) as [
    Side,
    string,
    string,
    CookieMode,
  ];
  await serve(side, server, prefix, cookie);
}

// ----------------------------------------------------------------- driver ---

type Running = ServerChild;

/** Sessions are made and used behind a trusted proxy that terminated TLS (Secure cookies). */
const PROXY_HEADERS = { "x-forwarded-proto": "https" };

async function start(side: Side, server: string, cookie: CookieMode): Promise<Running> {
  const prefix = `bench-${side}-${cookie}-${Date.now().toString(36)}:`;
  const running = await startServerChild({
    file: here,
    env: { [ROLE]: JSON.stringify([side, server, prefix, cookie]) },
    label: side,
    sessions: CONNECTIONS,
    headers: PROXY_HEADERS,
  });
  // The counter must keep counting: a check that the cookie is accepted.
  const again = await fetch(`${running.base}/`, {
    headers: { ...PROXY_HEADERS, cookie: running.cookies[0]! },
  });
  const body = (await again.json()) as { n: number };
  if (body.n !== 2) {
    running.child.kill();
    throw new Error(`${side}: session not resumed: n=${body.n}`);
  }
  return running;
}

interface Stats {
  requests: number;
  cpuMicros: number;
}

async function stats(running: Running): Promise<Stats> {
  return (await (await fetch(`${running.base}/stats`)).json()) as Stats;
}

/** Memcached's own command counters (text protocol `stats`). */
function memcachedCommands(server: string): Promise<number> {
  const [host, port] = server.split(":") as [string, string];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (text.endsWith("END\r\n")) {
        socket.end();
        const stat = (name: string) =>
          Number(new RegExp(`STAT ${name} (\\d+)`).exec(text)?.[1] ?? 0);
        resolve(
          stat("cmd_get") +
            stat("cmd_set") +
            stat("cmd_touch") +
            stat("delete_hits") +
            stat("delete_misses"),
        );
      }
    });
    socket.on("error", reject);
    socket.write("stats\r\n");
  });
}

function load(running: Running, seconds: number): Promise<LoadResult> {
  const url = `${running.base}/`;
  const { cookies } = running;
  return loadWithSessions({
    url,
    cookies,
    seconds,
    connections: CONNECTIONS,
    headers: PROXY_HEADERS,
  });
}

interface Scenario {
  case: string;
  cookie: CookieMode;
  /** Short label for the diagnostic rows. */
  label: string;
  target: number;
}

const SCENARIOS: Scenario[] = [
  {
    case: "load, increment, save (one session per connection; browser-session cookie on both sides)",
    cookie: "session",
    label: "browser-session cookie",
    target: 1.3,
  },
  {
    case: "load, increment, save (one session per connection; persistent cookie with Max-Age re-sent on every change, both sides)",
    cookie: "persistent",
    label: "persistent cookie",
    target: 1.3,
  },
];

const PEER = "express-session@1.19.0 + connect-memcached@3.0.0";

async function measureAll(rounds: number): Promise<Row[]> {
  const servers = (await requireService("MEMCACHED_SERVERS")).split(",");
  const server = servers[0]!.trim();
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    // A pair of servers per cookie mode, stopped before the next pair starts.
    const started: Running[] = [];
    try {
      started.push(await start("tessera", server, scenario.cookie));
      started.push(await start("peer", server, scenario.cookie));
      const [tessera, peerServer] = started as [Running, Running];
      const sides: Record<Side, Running> = { tessera, peer: peerServer };
      const rps: Record<Side, number[]> = { tessera: [], peer: [] };
      const perRequest: Record<Side, number[]> = { tessera: [], peer: [] };
      const cpu: Record<Side, number[]> = { tessera: [], peer: [] };
      // Warm-up, long enough for both servers and the load generator itself:
      // with 1 s the first scenario of a run measured slower on both sides.
      for (const side of ["tessera", "peer", "tessera", "peer"] as const)
        await load(sides[side], 2);
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["tessera", "peer"] : ["peer", "tessera"];
        for (const side of order) {
          const before = await memcachedCommands(server);
          const statsBefore = await stats(sides[side]);
          const result = await load(sides[side], seconds);
          const statsAfter = await stats(sides[side]);
          const after = await memcachedCommands(server);
          rps[side].push(result.rps);
          perRequest[side].push((after - before) / result.total);
          const served = statsAfter.requests - statsBefore.requests;
          cpu[side].push((statsAfter.cpuMicros - statsBefore.cpuMicros) / served);
          process.stdout.write(
            `  ${scenario.label}, round ${round + 1} ${side}: ${result.rps.toFixed(0)} req/s\n`,
          );
        }
      }
      const ours = median(rps.tessera);
      const peer = median(rps.peer);
      rows.push(
        {
          case: scenario.case,
          ours,
          peer,
          peerName: PEER,
          unit: "req/s",
          ratio: ours / peer,
          target: scenario.target,
          note: `median of ${rounds} rounds x ${seconds} s, ${pinningNote()}`,
        },
        {
          case: `Memcached commands per request (${scenario.label})`,
          ours: median(perRequest.tessera),
          peer: median(perRequest.peer),
          peerName: PEER,
          unit: "cmd/req",
          note: "from the server's stats counters",
        },
        {
          case: `server CPU per request (${scenario.label})`,
          ours: Math.round(median(cpu.tessera)),
          peer: Math.round(median(cpu.peer)),
          peerName: PEER,
          unit: "µs/req",
          ratio: median(cpu.peer) / median(cpu.tessera),
          note: `process.cpuUsage() of the server child over the timed run, ${pinningNote()}`,
        },
      );
    } finally {
      for (const running of started) running.child.kill();
    }
  }
  return rows;
}

const bench: Benchmark = {
  id: "memcached",
  title: "HTTP session counter on Memcached (autocannon, 50 connections, Express 5)",
  run({ rounds }) {
    return withPinnedLoad(() => measureAll(rounds));
  },
};

export default bench;
