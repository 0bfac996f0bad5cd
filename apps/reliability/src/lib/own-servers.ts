/**
 * Servers a kill test starts for itself, on free 127.0.0.1 ports with their
 * own temp data: killing them disturbs nobody (the shared servers of
 * `scripts/services` serve every other test in parallel).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const HOST = "127.0.0.1";
const AS_ROOT = process.getuid?.() === 0;

/** A port the kernel just handed out on 127.0.0.1 and that nobody listens on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** True while `pid` exists and is not a zombie (a killed daemon may linger unreaped). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return /\) (\S)/.exec(stat)?.[1] !== "Z";
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid` (a postmaster's backends and workers). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we listed /proc.
    }
  }
  return out;
}

/** Polls `ready` every 25 ms until it holds; throws `what` after `timeoutMs`. */
export async function waitFor(
  ready: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(25);
  }
}

/** Sends one text-protocol `version` and resolves whether a VERSION line came back. */
function memcachedAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("data", (chunk) => done(chunk.toString("latin1").startsWith("VERSION")));
    socket.on("connect", () => socket.write("version\r\n"));
  });
}

/** One memcached process of a test, restartable on the same port. */
export interface OwnMemcached {
  readonly port: number;
  readonly address: string;
  /** SIGKILL, then wait until the process is gone (so nothing answers on the port). */
  kill(): Promise<void>;
  /** Starts an empty server on the same port and waits until it answers. */
  start(): Promise<void>;
}

/** Starts memcached on a free port (64 MB, CAS on, no UDP) and waits until it answers. */
export async function startMemcached(): Promise<OwnMemcached> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: OwnMemcached = {
    port,
    address: `${HOST}:${port}`,
    async kill() {
      const running = child;
      child = undefined;
      if (running?.pid === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    async start() {
      const args = ["-l", HOST, "-p", String(port), "-U", "0", "-m", "64", "-c", "1024"];
      // memcached refuses to run as root unless told which user to stay.
      if (AS_ROOT) args.push("-u", "root");
      child = spawn("memcached", args, { stdio: "ignore" });
      child.once("error", () => undefined);
      await waitFor(() => memcachedAnswers(port), `memcached on port ${port}`, 10_000);
    },
  };
  await server.start();
  return server;
}

/**
 * PostgreSQL's binaries: 15 (what `scripts/services` uses), else the newest
 * installed major version.
 */
function pgBin(): string {
  const root = "/usr/lib/postgresql";
  const candidates = ["15", ...readdirSync(root).sort((a, b) => Number(b) - Number(a))];
  for (const v of candidates)
    if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  throw new Error(`no PostgreSQL under ${root} (apt-get install postgresql-15)`);
}

/** One PostgreSQL instance of a test, in its own temp data directory. */
export interface OwnPostgres {
  readonly port: number;
  /** A superuser connection string (trust authentication on 127.0.0.1). */
  readonly url: string;
  /**
   * A crash: SIGKILL the postmaster, then wait until its backends have seen it
   * die and exited (until then they may still answer queries on open connections).
   */
  crash(): Promise<void>;
  /** Starts the postmaster and waits until it accepts connections (after a crash, once crash recovery is done). */
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/** initdb in a temp dir and start PostgreSQL on a free port (as the postgres user when we are root). */
export async function startPostgres(): Promise<OwnPostgres> {
  const bin = pgBin();
  const port = await freePort();
  const base = mkdtempSync(join(tmpdir(), "tessera-pg-"));
  const data = join(base, "data");
  const log = join(base, "postgres.log");
  // PostgreSQL refuses to run as root; it also needs a working directory it can read.
  const run = (cmd: string, args: string[]) =>
    execFileSync(
      AS_ROOT ? "runuser" : cmd,
      AS_ROOT ? ["-u", "postgres", "--", cmd, ...args] : args,
      {
        cwd: "/",
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  if (AS_ROOT) {
    const uid = execFileSync("id", ["-u", "postgres"]).toString().trim();
    const gid = execFileSync("id", ["-g", "postgres"]).toString().trim();
    chownSync(base, Number(uid), Number(gid));
  }
  run(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  appendFileSync(
    join(data, "postgresql.conf"),
    [
      "",
      `port = ${port}`,
      `listen_addresses = '${HOST}'`,
      "unix_socket_directories = ''",
      "max_connections = 40",
      "shared_buffers = 16MB",
      // A process kill keeps the OS page cache, so fsync is not what keeps an
      // acknowledged commit; synchronous_commit (left at its default, on) is:
      // with it off, a crash may lose the last commits the client saw succeed.
      "fsync = off",
      "",
    ].join("\n"),
  );
  // The postmaster runs as our child (through runuser as root), not daemonized
  // by pg_ctl: killed, it is reaped by its parent instead of lingering as a zombie.
  let child: ChildProcess | undefined;
  // Asynchronous: the load the test puts on the app keeps running meanwhile.
  const ready = () =>
    new Promise<boolean>((resolve) => {
      execFile(
        join(bin, "pg_isready"),
        ["-q", "-h", HOST, "-p", String(port), "-t", "1"],
        (error) => resolve(error === null),
      );
    });
  const start = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const out = openSync(log, "a");
      const args = ["-D", data];
      child = spawn(
        AS_ROOT ? "runuser" : join(bin, "postgres"),
        AS_ROOT ? ["-u", "postgres", "--", join(bin, "postgres"), ...args] : args,
        {
          cwd: "/",
          stdio: ["ignore", out, out],
        },
      );
      closeSync(out);
      const started = child;
      let exited = false;
      started.once("exit", () => {
        exited = true;
      });
      started.once("error", () => undefined);
      // After a crash the old backends may hold the shared memory a moment
      // longer ("pre-existing shared memory block is still in use"): retry.
      await waitFor(() => exited || ready(), `PostgreSQL on port ${port}`, 60_000);
      if (!exited) return;
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start; see ${log}`);
      await sleep(100);
    }
  };
  const postmaster = () =>
    Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  await start();
  return {
    port,
    url: `postgres://postgres@${HOST}:${port}/postgres`,
    async crash() {
      const pid = postmaster();
      const backends = childrenOf(pid);
      process.kill(pid, "SIGKILL");
      await waitFor(
        () => !alive(pid) && backends.every((b) => !alive(b)),
        "the killed postmaster's backends to exit",
      );
    },
    start,
    async destroy() {
      try {
        const running = child;
        if (running !== undefined && running.exitCode === null && running.signalCode === null) {
          const exited = new Promise((resolve) => running.once("exit", resolve));
          // SIGQUIT: immediate shutdown, nothing worth keeping in a throwaway database.
          if (existsSync(join(data, "postmaster.pid"))) process.kill(postmaster(), "SIGQUIT");
          await exited;
        }
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
