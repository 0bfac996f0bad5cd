import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESULT_MARK, type WorkerdReport } from "./workerd/report.js";

// The proof on the real runtime: the exported conformance suite inside workerd
// against the Durable Object store and against SqlStore on D1, and a Hono app
// with stateful sessions on the Durable Object store, through miniflare.
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// miniflare 4 needs Node >= 22: the npm `node` package (a devDependency) ships one.
const node22 = join(dirname(require.resolve("node/package.json")), "bin", "node");
const miniflare = require.resolve("miniflare");
const CHILD_TIMEOUT_MS = 150_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(node22, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${CHILD_TIMEOUT_MS} ms)`;
      child.kill("SIGKILL");
    }, CHILD_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}\n${String(error)}` });
    });
  });
}

let dir: string;
let run: Run;
let report: WorkerdReport | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tessera-workerd-"));
  const worker = join(dir, "worker.mjs");
  const driver = join(dir, "driver.mjs");
  await build({
    entryPoints: [join(here, "workerd", "worker.ts")],
    outfile: worker,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "silent",
    plugins: [
      {
        // `describeStore` imports vitest; the Worker uses `runCheck` only, so
        // vitest is replaced by a stub that throws.
        name: "no-vitest",
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: "vitest", namespace: "stub" }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
            contents:
              "const unavailable = () => { throw new Error('vitest is not bundled for workerd'); };\n" +
              "export const describe = unavailable;\nexport const it = unavailable;\n",
            loader: "js",
          }));
        },
      },
    ],
  });
  await build({
    entryPoints: [join(here, "workerd", "driver.ts")],
    outfile: driver,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    logLevel: "silent",
  });
  run = await runNode([driver, worker, miniflare]);
  const line = run.stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
  if (line !== undefined) report = JSON.parse(line.slice(RESULT_MARK.length)) as WorkerdReport;
}, CHILD_TIMEOUT_MS + 30_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The failed results; throws when the driver sent no report at all. */
function failures(pick: (report: WorkerdReport) => WorkerdReport["checks"]): string[] {
  if (report === undefined)
    throw new Error(`no report from the driver:\n${run.stderr.slice(-2000)}`);
  return pick(report)
    .filter((r) => !r.ok)
    .map((r) => `${r.name}: ${r.ok ? "" : r.error}`);
}

describe("inside workerd (miniflare), with a SQLite-backed Durable Object and a local D1", () => {
  it("runs under Node 22 and reports", () => {
    expect(run.stderr.trim().split("\n").slice(-15).join("\n")).not.toMatch(/\berror\b/i);
    expect(run.code).toBe(0);
    expect(report?.workerd).toMatch(/^1\./);
  });

  it("runs every conformance check against both stores, none skipped", () => {
    expect(conformanceChecks.length).toBeGreaterThan(0);
    expect(report?.conformanceChecks).toBe(conformanceChecks.length);
    const names = conformanceChecks.map((c) => c.name);
    expect(report?.durableObject.map((r) => r.name)).toEqual(names);
    expect(report?.durableObject.length).toBeGreaterThan(0);
    expect(report?.d1.map((r) => r.name)).toEqual(names);
  });

  it("DurableObjectStore passes every conformance check", () => {
    expect(failures((r) => r.durableObject)).toEqual([]);
  });

  it("SqlStore on D1 (d1Executor) passes every conformance check", () => {
    expect(failures((r) => r.d1)).toEqual([]);
  });

  it("passes the workerd checks (alarms reclaim storage, object failures, shards, a D1 SQL error)", () => {
    expect(report?.checks.length).toBe(4);
    expect(failures((r) => r.checks)).toEqual([]);
  });

  it("a Hono app on the Durable Object store passes the HTTP scenarios through dispatchFetch", () => {
    expect(report?.scenarios.length).toBe(6);
    expect(failures((r) => r.scenarios)).toEqual([]);
  });

  it("a load costs one Durable Object request and a changed commit one more", () => {
    expect(report?.roundTrips).toMatchObject({
      "anonymous read": 0,
      "read of a live session": 1,
      "write of a live session": 2,
    });
    // The objects themselves saw exactly the requests the Worker counted at its stubs.
    expect(report?.objectRequests).toBe(report?.stubRequests);
  });
});
