/**
 * HTTP requests per second for a session counter on Memcached: Tessera
 * (`@tessera/session` + `@tessera/store-memcached` on memjs) against
 * express-session + connect-memcached (the `memcached` client), both on
 * Express 5, both talking to the same Memcached server.
 *
 * Each side's server runs in its own child process (one core, like the
 * baseline); autocannon drives it from this process with 50 connections, one
 * pre-created session per connection. Each request loads the session,
 * increments a counter, saves it and returns the count. Rounds alternate the
 * two sides; medians are reported. Memcached commands per request are counted
 * from the server's own `stats` (cmd_get + cmd_set + cmd_touch + delete_*).
 *
 * Run: cd apps/bench && BENCH_ROUNDS=5 npx tsx src/run.ts memcached
 * (needs `pnpm services:up memcached`; MEMCACHED_SERVERS).
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { requireService } from "../../../../scripts/test-env.js";
import { type Benchmark, median, type Row } from "../harness.js";
import { type LoadResult, loadWithSessions } from "../http-load.js";

const CONNECTIONS = 50;
const ROLE = "TESSERA_MEMCACHED_BENCH_ROLE";
const here = fileURLToPath(import.meta.url);

type Side = "tessera" | "peer";

// ---------------------------------------------------------------- servers ---

interface ExpressRequest {
  headers: Record<string, string | undefined>;
  session?: Record<string, unknown> & { n?: number };
}
interface ExpressResponse {
  setHeader(name: string, value: string | string[]): void;
  json(body: unknown): void;
  status(code: number): ExpressResponse;
  end(): void;
}
type Handler = (req: ExpressRequest, res: ExpressResponse, next: (err?: unknown) => void) => void;
interface ExpressApp {
  set(name: string, value: unknown): void;
  use(handler: Handler): void;
  get(path: string, handler: Handler): void;
  listen(port: number, host: string, callback: () => void): { address(): { port: number } };
}

async function serve(side: Side, server: string, prefix: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const express = require("express") as () => ExpressApp;
  const app = express();
  app.set("trust proxy", true);
  const { createKeyring, randomToken } = await import("@tessera/signing");
  const secret = randomToken(32);

  if (side === "peer") {
    const session = require("express-session") as ((options: unknown) => Handler) & object;
    const connectMemcached = require("connect-memcached") as (
      s: unknown,
    ) => new (
      options: unknown,
    ) => unknown;
    const MemcachedStore = connectMemcached(session);
    app.use(
      session({
        secret,
        store: new MemcachedStore({ hosts: [server], prefix }),
        resave: false,
        saveUninitialized: false,
        proxy: true,
        name: "__Host-sid",
        cookie: { secure: true, httpOnly: true, sameSite: "lax", path: "/" },
      }),
    );
    app.get("/", (req, res) => {
      const s = req.session!;
      s.n = (s.n ?? 0) + 1;
      res.json({ n: s.n });
    });
  } else {
    const { createSessions } = await import("@tessera/session");
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
    const sessions = createSessions<{ n: number }>({
      keys: createKeyring([{ id: "k1", secret }]),
      store: new MemcachedStore({ client: memjsClient(client), prefix }),
    });
    // Minimal glue until @tessera/express lands: Cookie header in, Set-Cookie out.
    app.get("/", (req, res, next) => {
      (async () => {
        const session = await sessions.load(req.headers.cookie ?? "");
        const n = (session.get("n") ?? 0) + 1;
        session.set("n", n);
        const setCookie = await sessions.commit(session);
        if (setCookie.length > 0) res.setHeader("set-cookie", setCookie);
        res.json({ n });
      })().catch(next);
    });
  }

  const listener = app.listen(0, "127.0.0.1", () => {
    process.send?.({ port: listener.address().port });
  });
}

if (process.env[ROLE] !== undefined) {
  const [side, server, prefix] = JSON.parse(process.env[ROLE]) as [Side, string, string];
  await serve(side, server, prefix);
}

// ----------------------------------------------------------------- driver ---

interface Running {
  child: ChildProcess;
  url: string;
}

async function start(side: Side, server: string): Promise<Running> {
  const prefix = `bench-${side}-${Date.now().toString(36)}:`;
  const child = fork(here, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, [ROLE]: JSON.stringify([side, server, prefix]) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`${side} server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

/** One session per connection: a first request without a cookie, keeping its Set-Cookie. */
async function createCookies(url: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const response = await fetch(url, { headers: { "x-forwarded-proto": "https" } });
    const setCookie = response.headers.getSetCookie()[0];
    if (response.status !== 200 || setCookie === undefined) {
      throw new Error(`session creation failed: ${response.status} ${await response.text()}`);
    }
    cookies.push(setCookie.slice(0, setCookie.indexOf(";")));
  }
  // The counter must keep counting: a check that the cookie is accepted.
  const again = await fetch(url, {
    headers: { cookie: cookies[0]!, "x-forwarded-proto": "https" },
  });
  const body = (await again.json()) as { n: number };
  if (body.n !== 2) throw new Error(`session not resumed: n=${body.n}`);
  return cookies;
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

function load(url: string, cookies: string[], seconds: number): Promise<LoadResult> {
  const headers = { "x-forwarded-proto": "https" };
  return loadWithSessions({ url, cookies, seconds, connections: CONNECTIONS, headers });
}

const bench: Benchmark = {
  id: "memcached",
  title: "HTTP session counter on Memcached (autocannon, 50 connections, Express 5)",
  async run({ rounds }) {
    const servers = (await requireService("MEMCACHED_SERVERS")).split(",");
    const server = servers[0]!.trim();
    const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
    const sides: Record<Side, Running> = {
      tessera: await start("tessera", server),
      peer: await start("peer", server),
    };
    try {
      const cookies = {
        tessera: await createCookies(sides.tessera.url),
        peer: await createCookies(sides.peer.url),
      };
      const rps: Record<Side, number[]> = { tessera: [], peer: [] };
      const perRequest: Record<Side, number[]> = { tessera: [], peer: [] };
      await load(sides.tessera.url, cookies.tessera, 1); // warm-up
      await load(sides.peer.url, cookies.peer, 1);
      for (let round = 0; round < rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ["tessera", "peer"] : ["peer", "tessera"];
        for (const side of order) {
          const before = await memcachedCommands(server);
          const result = await load(sides[side].url, cookies[side], seconds);
          const after = await memcachedCommands(server);
          rps[side].push(result.rps);
          perRequest[side].push((after - before) / result.total);
          process.stdout.write(`  round ${round + 1} ${side}: ${result.rps.toFixed(0)} req/s\n`);
        }
      }
      const ours = median(rps.tessera);
      const peer = median(rps.peer);
      const note = `median of ${rounds} rounds x ${seconds} s`;
      const rows: Row[] = [
        {
          case: "load, increment, save (one session per connection)",
          ours,
          peer,
          peerName: "express-session@1.19.0 + connect-memcached@3.0.0",
          unit: "req/s",
          ratio: ours / peer,
          target: 1.3,
          note,
        },
        {
          case: "Memcached commands per request",
          ours: median(perRequest.tessera),
          peer: median(perRequest.peer),
          peerName: "express-session@1.19.0 + connect-memcached@3.0.0",
          unit: "cmd/req",
          note: "from the server's stats counters",
        },
      ];
      return rows;
    } finally {
      sides.tessera.child.kill();
      sides.peer.child.kill();
    }
  },
};

export default bench;
