import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { failedChecks, runtimeProof, vitestStub } from "../../../scripts/runtime-proof.js";
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

const run = runtimeProof<DenoReport>({
  tempPrefix: "tessera-deno-kv-",
  mark: RESULT_MARK,
  timeoutMs: 100_000,
  prepare: async (dir) => {
    const bundle = join(dir, "conformance.mjs");
    await build({
      entryPoints: [join(here, "deno", "conformance.ts")],
      outfile: bundle,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      logLevel: "silent",
      plugins: [vitestStub("Deno")],
    });
    // Permissions: read and write of the temp dir alone (the KV database file and
    // its SQLite journal); no net, env, run, ffi or sys, and no prompt.
    return [
      deno,
      [
        "run",
        "--no-config",
        "--no-lock",
        "--no-prompt",
        "--unstable-kv",
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        bundle,
        join(dir, "kv.sqlite3"),
      ],
    ];
  },
});

describe("DenoKvStore inside Deno, on a real KV database", () => {
  it("runs in Deno 2 with --unstable-kv and read/write of one directory, and reports", () => {
    expect(run.stderr.trim().split("\n").slice(-15).join("\n")).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.report?.deno).toMatch(/^2\./);
  });

  it("runs every conformance check, none skipped", () => {
    expect(conformanceChecks.length).toBeGreaterThan(0);
    expect(run.report?.conformanceChecks).toBe(conformanceChecks.length);
    expect(run.report?.conformanceResults).toBe(conformanceChecks.length);
    const names = run.report?.results
      .filter((r) => !r.name.startsWith("deno-kv: "))
      .map((r) => r.name);
    expect(names).toEqual(conformanceChecks.map((c) => c.name));
  });

  it("passes every conformance check", () => {
    const conformance = run.report?.results.filter((r) => !r.name.startsWith("deno-kv: "));
    expect(conformance, "the Deno entry sent no report").toBeDefined();
    expect(failedChecks(conformance ?? [])).toEqual([]);
  });

  it("passes the Deno KV checks (pieces, limits, cleanup, key encoding, round trips, far expiry, foreign values, outages)", () => {
    const own = run.report?.results.filter((r) => r.name.startsWith("deno-kv: ")) ?? [];
    expect(own.length).toBe(8);
    expect(failedChecks(own)).toEqual([]);
  });
});
