/**
 * Instructions per request for one HTTP bench scenario, counted by valgrind's
 * callgrind: a figure that does not move with the machine's load, for A/B work
 * on the hot path where req/s and CPU time drift by ±15% between runs.
 *
 *   pnpm --filter @tessera/bench instructions bare tessera tessera-inline
 *
 * Each scenario of src/benchmarks/http.bench.ts runs in its own server under
 * callgrind with instrumentation off; WARMUP requests (default 3000, so the
 * JIT has settled) go through four keep-alive connections, each with its own
 * session, then instrumentation is switched on for REQUESTS requests (default
 * 1500) and the total is divided by them. Every thread of the process counts
 * (GC helpers and the compiler included), user-space instructions only: a
 * cost in the kernel (a second write per response, say) does not show here.
 * Under callgrind a request takes ~50x longer: a scenario takes 1-2 minutes.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { visit } from "./http-load.js";

const REQUESTS = Number(process.env.REQUESTS ?? 1500);
const WARMUP = Number(process.env.WARMUP ?? 3000);
const CONNECTIONS = 4;
const server = fileURLToPath(new URL("./benchmarks/http.bench.ts", import.meta.url));

async function count(scenario: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-callgrind-"));
  try {
    const child = spawn(
      "valgrind",
      [
        "--tool=callgrind",
        "--instr-atstart=no",
        `--callgrind-out-file=${join(dir, "out")}`,
        process.execPath,
        "--import",
        "tsx",
        server,
      ],
      {
        env: { ...process.env, TESSERA_HTTP_BENCH_SERVER: scenario, NODE_ENV: "production" },
        stdio: ["ignore", "ignore", "ignore", "ipc"],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      child.once("message", (m) => resolve((m as { port: number }).port));
      child.once("exit", (code) => reject(new Error(`${scenario}: server exited with ${code}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const get = (cookie: string) => visit(port, cookie, agent);
    const cookies: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) cookies.push(await get(""));
    const run = async (n: number) => {
      let sent = 0;
      await Promise.all(
        cookies.map(async (cookie) => {
          while (sent < n) {
            sent++;
            await get(cookie);
          }
        }),
      );
    };
    const control = (flag: string) =>
      execFileSync("callgrind_control", [flag, String(child.pid)], { stdio: "ignore" });
    await run(WARMUP);
    control("--instr=on");
    await run(REQUESTS);
    control("--instr=off");
    control("--dump");
    child.kill("SIGKILL");
    agent.destroy();
    let total = 0;
    for (const file of readdirSync(dir)) {
      const match = /^totals: (\d+)/m.exec(readFileSync(join(dir, file), "utf8"));
      if (match) total += Number(match[1]);
    }
    if (total === 0) throw new Error(`${scenario}: callgrind counted nothing`);
    return total / REQUESTS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scenarios = process.argv.slice(2);
if (scenarios.length === 0) {
  console.error("usage: instructions <scenario> [...] (scenarios of src/benchmarks/http.bench.ts)");
  process.exit(2);
}
let base: number | undefined;
for (const scenario of scenarios) {
  const perRequest = await count(scenario);
  base ??= perRequest;
  const ratio = (base / perRequest).toFixed(2);
  console.log(
    `${scenario.padEnd(18)} ${Math.round(perRequest).toLocaleString("en")} instructions/request (${ratio}x of ${scenarios[0]})`,
  );
}
