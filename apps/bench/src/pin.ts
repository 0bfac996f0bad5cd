/**
 * CPU pinning for the HTTP benchmarks. On a 2-core machine the server under
 * test, the load generator and the kernel's scheduler otherwise share both
 * cores however the scheduler likes, and the same server measured twice
 * moved by ±15%. Pinning the server to one core and the load generator to
 * the other makes "server on one core" (the baseline's setting) literal and
 * the figures steadier. Linux `taskset` only; elsewhere nothing is pinned
 * and the figures say so.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";

/** Which cores the server and the load generator get, or null when pinning is unavailable. */
export interface Pinning {
  server: number;
  load: string;
  all: string;
}

function detect(): Pinning | null {
  const cores = os.cpus().length;
  if (process.platform !== "linux" || cores < 2) return null;
  const probe = spawnSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
  if (probe.status !== 0) return null;
  const last = cores - 1;
  return { server: last, load: last === 1 ? "0" : `0-${last - 1}`, all: `0-${last}` };
}

/** The pinning in effect for this machine (detected once). */
export const pinning: Pinning | null = detect();

function taskset(cpus: string, pid: number): void {
  // -a: every thread of the process (libuv's pool, V8's helpers), not just the main one.
  spawnSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
}

/** Pins a server process to its core; a no-op without pinning. */
export function pinServer(pid: number | undefined): void {
  if (pinning !== null && pid !== undefined) taskset(String(pinning.server), pid);
}

/**
 * Pins this process (the load generator) away from the server's core for
 * the length of `run`, then gives it every core back.
 */
export async function withPinnedLoad<T>(run: () => Promise<T>): Promise<T> {
  if (pinning === null) return run();
  taskset(pinning.load, process.pid);
  try {
    return await run();
  } finally {
    taskset(pinning.all, process.pid);
  }
}

/** A few words for a table note: how the processes were placed. */
export function pinningNote(): string {
  return pinning === null
    ? "processes not pinned"
    : `server pinned to core ${pinning.server}, load generator to ${pinning.load}`;
}
