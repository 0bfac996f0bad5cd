import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { build } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failedChecks, runReporting } from "../../../scripts/runtime-proof.js";
import { MARK, type Report } from "./runtime/report.js";

// The built-in SQLite of Node 22 and Bun only exists on those runtimes, and
// vitest runs on the machine's Node: compile test/runtime/builtin-sqlite.ts
// (with the bindings' sources) to one ES module, run it on each runtime and
// assert its JSON report. The binaries are the ones the runtime matrix
// (apps/runtimes) installs.
const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const runtimesApp = createRequire(join(packageRoot, "../../apps/runtimes/package.json"));

function binary(pkg: string, ...path: string[]): string {
  let root: string;
  try {
    root = dirname(runtimesApp.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`npm "${pkg}" is not installed in apps/runtimes: run pnpm install`);
  }
  return join(root, ...path);
}

const RUNTIMES = [
  // The npm `node` package's binary; node:sqlite is unflagged from 22.13 and
  // prints an ExperimentalWarning, silenced here.
  {
    name: "Node 22 (node:sqlite)",
    bin: () => binary("node", "bin", "node"),
    args: ["--disable-warning=ExperimentalWarning"],
  },
  // The bun package names its binary bun.exe on every platform.
  { name: "Bun (bun:sqlite)", bin: () => binary("bun", "bin", "bun.exe"), args: [] },
];

let outDir: string;
let script: string;

beforeAll(async () => {
  // Inside the package so the child resolves @tessera/store from its node_modules.
  const cache = join(packageRoot, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  outDir = mkdtempSync(join(cache, "builtin-sqlite-"));
  await build({
    config: false,
    silent: true,
    entry: { "builtin-sqlite": join(packageRoot, "test", "runtime", "builtin-sqlite.ts") },
    outDir,
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    platform: "node",
    target: "es2022",
    dts: false,
    sourcemap: false,
    splitting: false,
    external: [/^@tessera\//],
  });
  script = join(outDir, "builtin-sqlite.mjs");
  if (!existsSync(script)) throw new Error(`tsup did not write ${script}`);
});

afterAll(() => {
  if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
});

async function run(bin: string, args: string[]): Promise<Report> {
  const { code, stdout, stderr, report } = await runReporting<Report>(bin, [...args, script], {
    mark: MARK,
    timeoutMs: 100_000,
    cwd: packageRoot,
  });
  if (code !== 0 || report === undefined) {
    throw new Error(`${bin} exited with ${code}:\n${stderr}\n${stdout}`.trim());
  }
  return report;
}

const names = conformanceChecks.map((check) => check.name);

describe.each(RUNTIMES)("SqlStore on $name", ({ bin, args }) => {
  it("passes every conformance check and the binding's failure cases", async () => {
    const report = await run(bin(), args);
    expect(report.suites.map((suite) => suite.name)).toHaveLength(3);
    for (const suite of report.suites) {
      expect(failedChecks(suite.results), `${report.runtime}, ${suite.name}`).toEqual([]);
      expect(suite.results.length).toBeGreaterThan(0);
    }
    // Nothing skipped: each conformance suite ran every check, in order.
    for (const suite of report.suites.slice(0, 2)) {
      expect(suite.results.map((r) => r.name)).toEqual(names);
    }
    expect(report.suites[2]?.results).toHaveLength(5);
  }, 120_000);
});
