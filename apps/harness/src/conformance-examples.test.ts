import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { conformanceChecks } from "@tessera/store/conformance";
import { afterAll, describe, expect, it } from "vitest";

// The store README's node:test, jest and mocha examples (conformance-examples/),
// each run by its framework in a child process against the built package, as
// a user's project would run them: once on the example store, which has no
// user index, and once with a fault preloaded, to show each run can fail.
const harness = fileURLToPath(new URL("..", import.meta.url));
const examples = join(harness, "conformance-examples");
const fault = join(examples, "faults", "ignores-expect-version.cjs");
const resolve = createRequire(join(harness, "package.json")).resolve;
const total = conformanceChecks.length;
const needIndex = conformanceChecks.filter((c) => c.requires === "userIndex").length;

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface Run extends Counts {
  code: number | null;
  output: string;
}

function spawnNode(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  // Without NODE_PATH (pnpm sets it), a child resolves packages as an app
  // does: from the node_modules folders above its directory only.
  const { NODE_PATH: _, ...env } = process.env;
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), "tessera-conformance-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function count(tap: string, what: string): number {
  const found = new RegExp(`^# ${what} (\\d+)$`, "m").exec(tap);
  if (found === null) throw new Error(`no "# ${what}" line in:\n${tap}`);
  return Number(found[1]);
}

const frameworks: Array<[string, (broken: boolean) => Promise<Run>]> = [
  [
    "node:test",
    async (broken) => {
      const preload = broken ? ["--require", fault] : [];
      const run = await spawnNode(
        [...preload, "--test", "--test-reporter=tap", join(examples, "node-test.cjs")],
        harness,
      );
      const [passed, failed, skipped] = ["pass", "fail", "skipped"].map((w) =>
        count(run.output, w),
      );
      return { ...run, passed: passed!, failed: failed!, skipped: skipped! };
    },
  ],
  [
    "jest",
    async (broken) => {
      const report = join(scratch, `jest-${broken}.json`);
      const config = JSON.stringify({
        rootDir: examples,
        testMatch: ["<rootDir>/jest.cjs"],
        setupFiles: broken ? [fault] : [],
      });
      const run = await spawnNode(
        [resolve("jest/bin/jest"), "--ci", "--config", config, "--json", `--outputFile=${report}`],
        harness,
      );
      const json = JSON.parse(readFileSync(report, "utf8")) as Record<string, number>;
      return {
        ...run,
        passed: json["numPassedTests"]!,
        failed: json["numFailedTests"]!,
        skipped: json["numPendingTests"]!,
      };
    },
  ],
  [
    "mocha",
    async (broken) => {
      const report = join(scratch, `mocha-${broken}.json`);
      const preload = broken ? ["--require", fault] : [];
      const run = await spawnNode(
        [
          resolve("mocha/bin/mocha.js"),
          ...preload,
          "--reporter",
          "json",
          "--reporter-option",
          `output=${report}`,
          join(examples, "mocha.cjs"),
        ],
        harness,
      );
      const { stats } = JSON.parse(readFileSync(report, "utf8")) as {
        stats: Record<string, number>;
      };
      return {
        ...run,
        passed: stats["passes"]!,
        failed: stats["failures"]!,
        skipped: stats["pending"]!,
      };
    },
  ],
];

describe.each(frameworks)("the %s example", (_, run) => {
  it("passes every check the example store can take and reports the user-index ones as skipped", async () => {
    const result = await run(false);
    expect(result.code, result.output).toBe(0);
    expect(needIndex).toBe(4);
    expect({ passed: result.passed, failed: result.failed, skipped: result.skipped }).toEqual({
      passed: total - needIndex,
      failed: 0,
      skipped: needIndex,
    });
    expect(result.passed).toBeGreaterThan(0);
  }, 60_000);

  it("fails, with a non-zero exit code, on a store that ignores expectVersion", async () => {
    const result = await run(true);
    expect(result.code, result.output).not.toBe(0);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.passed + result.failed + result.skipped).toBe(total);
  }, 60_000);
});

describe("the store README", () => {
  const readme = readFileSync(join(harness, "..", "..", "packages", "store", "README.md"), "utf8");
  it.each(["node-test.cjs", "jest.cjs", "mocha.cjs"])("shows %s as tested here", (file) => {
    // The first line is a comment saying how to run the file; the README's differs.
    const body = readFileSync(join(examples, file), "utf8").split("\n").slice(1).join("\n");
    expect(readme).toContain(body.trim());
  });
});

describe("@tessera/store/conformance without vitest", () => {
  // A project with only the package installed: its package.json and dist,
  // in a directory where no vitest can be found.
  const app = join(scratch, "app");
  const installed = join(app, "node_modules", "@tessera", "store");
  mkdirSync(installed, { recursive: true });
  const store = join(harness, "node_modules", "@tessera", "store");
  cpSync(join(store, "package.json"), join(installed, "package.json"));
  cpSync(join(store, "dist"), join(installed, "dist"), { recursive: true });

  const program = (load: string) => `
${load}
let vitest = "not installed";
try { require.resolve("vitest"); vitest = "installed"; } catch {}
const results = await runConformance(() => new MemoryStore(), { ttlMs: 300, concurrency: 3 });
console.log(JSON.stringify({ vitest, statuses: results.map((r) => r.status), summary: summarizeConformance(results) }));
`;

  it.each([
    [
      "CommonJS (require)",
      "check.cjs",
      `const { runConformance, summarizeConformance } = require("@tessera/store/conformance");
const { MemoryStore } = require("@tessera/store");
(async () => {`,
      "})();",
    ],
    [
      "ESM (import)",
      "check.mjs",
      `import { createRequire } from "node:module";
import { runConformance, summarizeConformance } from "@tessera/store/conformance";
import { MemoryStore } from "@tessera/store";
const require = createRequire(import.meta.url);`,
      "",
    ],
  ])(
    "loads and runs every check from %s",
    async (_, file, head, tail) => {
      writeFileSync(join(app, file), `${head}\n${program("")}\n${tail}\n`);
      const run = await spawnNode([file], app);
      expect(run.code, run.output).toBe(0);
      const report = JSON.parse(run.output.trim().split("\n").at(-1)!) as {
        vitest: string;
        statuses: string[];
        summary: string;
      };
      expect(report.vitest).toBe("not installed");
      expect(report.statuses).toEqual(conformanceChecks.map(() => "passed"));
      expect(report.summary).toBe(`${total} passed, 0 failed, 0 skipped (of ${total} checks)`);
    },
    60_000,
  );
});
