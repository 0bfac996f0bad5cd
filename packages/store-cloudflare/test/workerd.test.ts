import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { type BuildOptions, build } from "esbuild";
import { describe, expect, it } from "vitest";
import { failedChecks, runtimeProof, vitestStub } from "../../../scripts/runtime-proof.js";
import { RESULT_MARK, type WorkerdReport } from "./workerd/report.js";

// The proof on the real runtime: the exported conformance suite inside workerd
// against the Durable Object store and against SqlStore on D1, and a Hono app
// with stateful sessions on the Durable Object store, through miniflare.
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// miniflare 4 needs Node >= 22: the npm `node` package (a devDependency) ships one.
const node22 = join(dirname(require.resolve("node/package.json")), "bin", "node");
const miniflare = require.resolve("miniflare");

/** Bundles test/workerd/<name>.ts into one ES module in `dir`; returns its path. */
async function bundle(dir: string, name: string, options: BuildOptions): Promise<string> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(here, "workerd", `${name}.ts`)],
    outfile,
    bundle: true,
    format: "esm",
    logLevel: "silent",
    ...options,
  });
  return outfile;
}

const run = runtimeProof<WorkerdReport>({
  tempPrefix: "tessera-workerd-",
  mark: RESULT_MARK,
  timeoutMs: 150_000,
  prepare: async (dir) => {
    const worker = await bundle(dir, "worker", {
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      target: "es2022",
      plugins: [vitestStub("workerd")],
    });
    const driver = await bundle(dir, "driver", { platform: "node", target: "node22" });
    return [node22, [driver, worker, miniflare]];
  },
});

/** The failed results; throws when the driver sent no report at all. */
function failures(pick: (report: WorkerdReport) => WorkerdReport["checks"]): string[] {
  if (run.report === undefined)
    throw new Error(`no report from the driver:\n${run.stderr.slice(-2000)}`);
  return failedChecks(pick(run.report));
}

describe("inside workerd (miniflare), with a SQLite-backed Durable Object and a local D1", () => {
  it("runs under Node 22 and reports", () => {
    expect(run.stderr.trim().split("\n").slice(-15).join("\n")).not.toMatch(/\berror\b/i);
    expect(run.code).toBe(0);
    expect(run.report?.workerd).toMatch(/^1\./);
  });

  it("runs every conformance check against both stores, none skipped", () => {
    expect(conformanceChecks.length).toBeGreaterThan(0);
    expect(run.report?.conformanceChecks).toBe(conformanceChecks.length);
    const names = conformanceChecks.map((c) => c.name);
    expect(run.report?.durableObject.map((r) => r.name)).toEqual(names);
    expect(run.report?.durableObject.length).toBeGreaterThan(0);
    expect(run.report?.d1.map((r) => r.name)).toEqual(names);
  });

  it("DurableObjectStore passes every conformance check", () => {
    expect(failures((r) => r.durableObject)).toEqual([]);
  });

  it("SqlStore on D1 (d1Executor) passes every conformance check", () => {
    expect(failures((r) => r.d1)).toEqual([]);
  });

  it("passes the workerd checks (alarms reclaim storage, object failures, shards, a D1 SQL error)", () => {
    expect(run.report?.checks.length).toBe(4);
    expect(failures((r) => r.checks)).toEqual([]);
  });

  it("a Hono app on the Durable Object store passes the HTTP scenarios through dispatchFetch", () => {
    expect(run.report?.scenarios.length).toBe(6);
    expect(failures((r) => r.scenarios)).toEqual([]);
  });

  it("a load costs one Durable Object request and a changed commit one more", () => {
    expect(run.report?.roundTrips).toMatchObject({
      "anonymous read": 0,
      "read of a live session": 1,
      "write of a live session": 2,
    });
    // The objects themselves saw exactly the requests the Worker counted at its stubs.
    expect(run.report?.objectRequests).toBe(run.report?.stubRequests);
  });
});
