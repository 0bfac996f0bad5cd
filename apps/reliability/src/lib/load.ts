/**
 * A bounded load run: the app in a child process, autocannon in this one,
 * one pre-created session per connection, each request incrementing that
 * session's counter; memory sampled every second; at the end every counter
 * is read back from the store and compared with the increments the server
 * acknowledged.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import type { AppKind } from "./app.js";
import { COOKIE, hit } from "./http.js";
import { MB, slope } from "./stats.js";
import type { StoreKind } from "./stores.js";

export interface LoadOptions {
  app: AppKind;
  store: StoreKind;
  /** Seconds of load. */
  duration: number;
  /** Seconds at the start left out of the memory slope. */
  warmup: number;
  connections?: number;
  /** Hard cap on requests, so a run always stops. @default 100,000 per second of duration */
  maxRequests?: number;
}

export interface LoadResult {
  app: AppKind;
  store: StoreKind;
  duration: number;
  connections: number;
  requests: number;
  reqPerSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverErrors: number;
  sessions: number;
  /** Acknowledged increments missing from the store (must be 0). */
  lost: number;
  /** Increments in the store the client never saw acknowledged (in flight at the stop). */
  unacked: number;
  /** Requests the server answered after the client had gone (cut by the stop). */
  aborted: number;
  /** Sessions missing from the store at the end (must be 0). */
  missing: number;
  rssStartMB: number;
  rssEndMB: number;
  /** Least-squares slopes after warm-up, MB per minute. */
  rssSlope: number;
  heapSlope: number;
  samples: Array<{ t: number; rss: number; heapUsed: number }>;
  unexpected: string[];
}

interface Mem {
  rss: number;
  heapUsed: number;
}

function request<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`app process exited (${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send({ type });
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const connections = options.connections ?? 50;
  const child = fork(fileURLToPath(new URL("./server-child.ts", import.meta.url)), [], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: { ...process.env, REL_APP: options.app, REL_STORE: options.store },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const { port } = await new Promise<{ port: number }>((resolve, reject) => {
      child.once("message", (message: { type: string; port: number }) => resolve(message));
      child.once("exit", (code) => reject(new Error(`app process exited before ready (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const cookies: string[] = [];
    for (let i = 0; i < connections; i += 1) {
      const first = await hit(base, "GET", "/inc");
      if (first.status !== 200 || first.session === undefined) {
        throw new Error(`could not create a session: ${first.status}`);
      }
      cookies.push(first.session);
    }

    const samples: LoadResult["samples"] = [];
    const started = Date.now();
    const sample = async () => {
      const mem = await request<Mem>(child, "mem");
      samples.push({ t: (Date.now() - started) / 1000, rss: mem.rss, heapUsed: mem.heapUsed });
    };
    await sample();
    const timer = setInterval(() => void sample().catch(() => undefined), 1000);
    let next = 0;
    const result = await autocannon({
      url: `${base}/inc`,
      connections,
      duration: options.duration,
      maxOverallRequests: options.maxRequests ?? options.duration * 100_000,
      timeout: 10,
      setupClient: (client) => {
        client.setHeaders({ cookie: `${COOKIE}=${cookies[next++ % cookies.length]}` });
      },
    });
    clearInterval(timer);
    await sample();

    const check = await request<{
      sessions: Array<{ cookie: string; acked: number; stored: number | null }>;
      errors5xx: number;
      aborted: number;
      unexpected: string[];
    }>(child, "check");
    let lost = 0;
    let unacked = 0;
    let missing = 0;
    for (const s of check.sessions) {
      if (s.stored === null) {
        missing += 1;
        lost += s.acked;
      } else if (s.stored < s.acked) lost += s.acked - s.stored;
      else unacked += s.stored - s.acked;
    }
    const after = samples.filter((s) => s.t >= options.warmup);
    const perMinute = (key: "rss" | "heapUsed") =>
      slope(after.map((s) => ({ x: s.t, y: s[key] / MB }))) * 60;
    return {
      app: options.app,
      store: options.store,
      duration: result.duration,
      connections,
      requests: result.requests.total,
      reqPerSec: result.requests.average,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      serverErrors: check.errors5xx,
      sessions: check.sessions.length,
      lost,
      unacked,
      missing,
      aborted: check.aborted,
      rssStartMB: (after[0]?.rss ?? 0) / MB,
      rssEndMB: (after.at(-1)?.rss ?? 0) / MB,
      rssSlope: perMinute("rss"),
      heapSlope: perMinute("heapUsed"),
      samples,
      unexpected: check.unexpected,
    };
  } finally {
    if (child.exitCode === null) {
      child.send({ type: "stop" });
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
      });
    }
  }
}
