/**
 * A private Redis Cluster for the tests that kill its nodes (`*.fault.test.ts`).
 *
 * The shared cluster of `scripts/services` (ports 7301-7306) serves every
 * other test, so a test that SIGKILLs a master starts its own: 3 masters and
 * 3 replicas (`redis-cli --cluster create --cluster-replicas 1`, as
 * `scripts/services` builds the shared one) on free 127.0.0.1 ports, with
 * no persistence, in a temp dir that {@link PrivateCluster.close} removes
 * with the processes. The processes are also killed if the test process
 * exits without closing.
 *
 * Dependency-free (node builtins and the `redis-server`/`redis-cli` binaries),
 * like `test-env.ts`.
 *
 * @example
 * ```ts
 * import { startPrivateCluster } from "../../../scripts/redis-cluster.js";
 *
 * const cluster = await startPrivateCluster();
 * const [master] = await cluster.masters();
 * cluster.kill(master.port); // SIGKILL
 * const promoted = await cluster.waitForFailover(master);
 * await cluster.close();
 * ```
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const HOST = "127.0.0.1";
/** Redis Cluster's bus listens on the node's port + 10000 (cluster specification). */
const BUS_OFFSET = 10_000;

/** One master of the cluster as `CLUSTER NODES` reports it. */
export interface ClusterMaster {
  id: string;
  port: number;
  /** Inclusive slot ranges. */
  slots: Array<[number, number]>;
  /** Ports of its replicas. */
  replicas: number[];
}

/** Options of {@link startPrivateCluster}. */
export interface PrivateClusterOptions {
  /**
   * `cluster-node-timeout`: how long a master may be silent before the
   * others mark it failed and its replica takes over.
   * @default 2000 (as `scripts/services`)
   */
  nodeTimeoutMs?: number;
}

/** A running private cluster; see {@link startPrivateCluster}. */
export interface PrivateCluster {
  /** Every node, masters and replicas, as `{ host, port }`. */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** The masters the live nodes agree on, with their slots and replicas. */
  masters(): Promise<ClusterMaster[]>;
  /** The master that holds `slot` now. */
  masterOf(slot: number): Promise<ClusterMaster>;
  /** Sends `signal` (default SIGKILL) to the node on `port`. */
  kill(port: number, signal?: NodeJS.Signals): void;
  /**
   * Starts the node on `port` again from its own `nodes.conf`, as a
   * supervisor would, and resolves once it serves as a replica with its link
   * up. Without persistence it comes back empty: restart a killed master only
   * after its replica took over, or it would rejoin as an empty master.
   */
  restart(port: number, limitMs?: number): Promise<void>;
  /** Runs a `redis-cli` command against one node and returns its output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /**
   * Waits until a replica of `master` has taken over its slots and every live
   * node reports `cluster_state:ok`; resolves to the new master.
   */
  waitForFailover(master: ClusterMaster, limitMs?: number): Promise<ClusterMaster>;
  /** Kills every node and removes the temp dir. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** Six consecutive ports whose bus ports are free too, from a random base. */
async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 900) * 10;
    const ports = Array.from({ length: count }, (_, i) => base + i);
    let free = true;
    for (const port of ports) {
      if (!(await portFree(port)) || !(await portFree(port + BUS_OFFSET))) {
        free = false;
        break;
      }
    }
    if (free) return ports;
  }
  throw new Error("no free ports for a private Redis Cluster");
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", HOST, "-p", String(port), ...args], {
    timeout: 5000,
  });
  return stdout;
}

async function until(what: string, limitMs: number, check: () => Promise<boolean>) {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`private Redis Cluster: ${what} not reached within ${limitMs} ms`);
}

/** `CLUSTER NODES` of one node, parsed into its live masters. */
function parseMasters(text: string): ClusterMaster[] {
  const masters = new Map<string, ClusterMaster>();
  const replicas: Array<{ master: string; port: number }> = [];
  for (const line of text.trim().split("\n")) {
    const [id, address, flags, master, , , , , ...slots] = line.trim().split(" ");
    if (id === undefined || address === undefined || flags === undefined) continue;
    const port = Number(address.split("@")[0]!.split(":")[1]);
    if (flags.includes("fail") && !flags.includes("fail?")) continue;
    if (flags.includes("master")) {
      const ranges: Array<[number, number]> = [];
      for (const s of slots) {
        if (s.startsWith("[")) continue;
        const [a, b] = s.split("-").map(Number);
        ranges.push([a!, b ?? a!]);
      }
      if (ranges.length > 0) masters.set(id, { id, port, slots: ranges, replicas: [] });
    } else if (flags.includes("slave") && master !== undefined) {
      replicas.push({ master, port });
    }
  }
  for (const r of replicas) masters.get(r.master)?.replicas.push(r.port);
  return [...masters.values()].sort((a, b) => a.slots[0]![0] - b.slots[0]![0]);
}

/**
 * Starts 6 `redis-server` processes in cluster mode and joins them into 3
 * masters with one replica each; resolves once the cluster is `ok` and every
 * replica's link to its master is up.
 */
export async function startPrivateCluster(
  options: PrivateClusterOptions = {},
): Promise<PrivateCluster> {
  const nodeTimeout = options.nodeTimeoutMs ?? 2000;
  const dir = mkdtempSync(join(tmpdir(), "tessera-cluster-"));
  const ports = await freePorts(6);
  const children = new Map<number, ChildProcess>();
  const killAll = () => {
    for (const child of children.values()) child.kill("SIGKILL");
  };
  process.once("exit", killAll);

  const close = async () => {
    process.off("exit", killAll);
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  const spawnNode = (port: number) => {
    const data = join(dir, String(port));
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        HOST,
        "--dir",
        data,
        "--logfile",
        join(data, "redis.log"),
        "--save",
        "",
        "--appendonly",
        "no",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        "nodes.conf",
        "--cluster-node-timeout",
        String(nodeTimeout),
        // A replica may take over however long its link has been down (a
        // test may cut a replica off on purpose before killing its master).
        "--cluster-replica-validity-factor",
        "0",
      ],
      { stdio: "ignore" },
    );
    child.on("error", () => undefined);
    children.set(port, child);
  };

  try {
    for (const port of ports) {
      mkdirSync(join(dir, String(port)));
      spawnNode(port);
    }
    await until("every node answering PING", 10_000, async () => {
      for (const port of ports) if ((await cli(port, "PING")).trim() !== "PONG") return false;
      return true;
    });
    await run(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...ports.map((p) => `${HOST}:${p}`),
        "--cluster-replicas",
        "1",
        "--cluster-yes",
      ],
      { timeout: 30_000 },
    );
    // Right after the create, gossip may still flag a node for a moment on a busy
    // machine: wait until the cluster looks whole on three checks in a row.
    let good = 0;
    await until("cluster_state:ok with 3 masters and 3 linked replicas", 30_000, async () => {
      good = (await whole()) ? good + 1 : 0;
      return good >= 3;
    });
  } catch (error) {
    await close();
    throw error;
  }

  async function whole(): Promise<boolean> {
    for (const port of ports) {
      if (!(await cli(port, "CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
    }
    const masters = parseMasters(await cli(ports[0]!, "CLUSTER", "NODES"));
    if (masters.length !== 3 || masters.some((m) => m.replicas.length !== 1)) return false;
    for (const m of masters) {
      const info = await cli(m.replicas[0]!, "INFO", "replication");
      if (!info.includes("master_link_status:up")) return false;
    }
    for (const port of ports) {
      if (/fail/.test(await cli(port, "CLUSTER", "NODES"))) return false;
    }
    return true;
  }

  const live = () =>
    [...children.entries()]
      .filter(([, child]) => child.exitCode === null && child.signalCode === null)
      .map(([port]) => port);

  const masters = async () => {
    for (const port of live()) {
      try {
        return parseMasters(await cli(port, "CLUSTER", "NODES"));
      } catch {
        // that node is stopped or busy: ask the next one
      }
    }
    throw new Error("private Redis Cluster: no node answers");
  };

  return {
    nodes: ports.map((port) => ({ host: HOST, port })),
    masters,
    async masterOf(slot) {
      const found = (await masters()).find((m) => m.slots.some(([a, b]) => slot >= a && slot <= b));
      if (found === undefined) throw new Error(`private Redis Cluster: no master has slot ${slot}`);
      return found;
    },
    kill(port, signal = "SIGKILL") {
      const child = children.get(port);
      if (child === undefined) throw new Error(`private Redis Cluster: no node on ${port}`);
      child.kill(signal);
    },
    async restart(port, limitMs = 30_000) {
      const child = children.get(port);
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        throw new Error(`private Redis Cluster: node ${port} is still running`);
      }
      spawnNode(port);
      await until(`node ${port} back as a linked replica`, limitMs, async () => {
        const info = await cli(port, "INFO", "replication");
        return info.includes("role:slave") && info.includes("master_link_status:up");
      });
    },
    cli,
    async waitForFailover(master, limitMs = 30_000) {
      let promoted: ClusterMaster | undefined;
      const slot = master.slots[0]![0];
      await until(`a replica of ${master.port} promoted`, limitMs, async () => {
        const now = (await masters()).find((m) => m.slots.some(([a, b]) => slot >= a && slot <= b));
        if (now === undefined || now.port === master.port) return false;
        for (const port of live()) {
          if (!(await cli(port, "CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
        }
        promoted = now;
        return true;
      });
      return promoted!;
    },
    close,
  };
}
