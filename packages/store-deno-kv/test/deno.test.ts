import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DenoReport, RESULT_MARK } from "./deno/report.js";

// The proof on the real runtime: the exported conformance suite inside Deno,
// against a real KV database in a file, through the store's own sources.
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// The npm `deno` package (a devDependency) ships the binary beside its package.json.
const deno = join(
  dirname(require.resolve("deno/package.json")),
  process.platform === "win32" ? "deno.exe" : "deno",
);
const CHILD_TIMEOUT_MS = 100_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDeno(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(deno, args, {
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
let report: DenoReport | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tessera-deno-kv-"));
  const bundle = join(dir, "conformance.mjs");
  await build({
    entryPoints: [join(here, "deno", "conformance.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
    plugins: [
      {
        // The conformance entry's `describeStore` imports vitest; the Deno run
        // uses `runConformance` only, so vitest is replaced by a stub that throws.
        name: "no-vitest",
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: "vitest", namespace: "stub" }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
            contents:
              "const unavailable = () => { throw new Error('vitest is not bundled for Deno'); };\n" +
              "export const describe = unavailable;\nexport const it = unavailable;\n",
            loader: "js",
          }));
        },
      },
    ],
  });
  // Permissions: read and write of the temp dir alone (the KV database file and
  // its SQLite journal); no net, env, run, ffi or sys, and no prompt.
  run = await runDeno([
    "run",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    "--unstable-kv",
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
    bundle,
    join(dir, "kv.sqlite3"),
  ]);
  const line = run.stdout.split("\n").find((l) => l.startsWith(RESULT_MARK));
  if (line !== undefined) report = JSON.parse(line.slice(RESULT_MARK.length)) as DenoReport;
}, CHILD_TIMEOUT_MS + 20_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("DenoKvStore inside Deno, on a real KV database", () => {
  it("runs in Deno 2 with --unstable-kv and read/write of one directory, and reports", () => {
    expect(run.stderr.trim().split("\n").slice(-15).join("\n")).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(report?.deno).toMatch(/^2\./);
  });

  it("runs every conformance check, none skipped", () => {
    expect(conformanceChecks.length).toBeGreaterThan(0);
    expect(report?.conformanceChecks).toBe(conformanceChecks.length);
    expect(report?.conformanceResults).toBe(conformanceChecks.length);
    const names = report?.results.filter((r) => !r.name.startsWith("deno-kv: ")).map((r) => r.name);
    expect(names).toEqual(conformanceChecks.map((c) => c.name));
  });

  it("passes every conformance check", () => {
    const failed = report?.results
      .filter((r) => !r.name.startsWith("deno-kv: ") && !r.ok)
      .map((r) => `${r.name}: ${r.ok ? "" : r.error}`);
    expect(failed).toEqual([]);
  });

  it("passes the Deno KV checks (pieces, limits, cleanup, key encoding, round trips, far expiry, foreign values, outages)", () => {
    const own = report?.results.filter((r) => r.name.startsWith("deno-kv: ")) ?? [];
    expect(own.length).toBe(8);
    expect(own.filter((r) => !r.ok).map((r) => `${r.name}: ${r.ok ? "" : r.error}`)).toEqual([]);
  });
});
