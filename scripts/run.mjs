#!/usr/bin/env node
/**
 * The README's two commands, `npm run demo` and `npm test`, land here. They
 * must work on a fresh clone with only Node.js 20 and npm, so this script
 * brings the pinned pnpm (from the npm registry) and installs the workspace
 * before doing anything else. It uses only Node built-ins.
 *
 *   node scripts/run.mjs demo   build what the demo needs and start it
 *   node scripts/run.mjs test   services, build, typecheck, lint, package checks, every test
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = pkg.packageManager.split("@")[1];

function run(cmd, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    console.error(`\n✗ ${cmd} ${args.join(" ")} exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
  if (options.timed) console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.status;
}

/** The pinned pnpm: a global one of the same major, else through npx. */
function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim().split(".")[0] === pnpmVersion.split(".")[0]) {
    return ["pnpm", []];
  }
  return ["npx", ["--yes", `pnpm@${pnpmVersion}`]];
}

const [pnpmBin, pnpmPre] = pnpmCommand();
const pnpm = (args, options) => run(pnpmBin, [...pnpmPre, ...args], options);

function ensureInstalled() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lock = join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step("Installing dependencies (pnpm install --frozen-lockfile)");
  pnpm(["install", "--frozen-lockfile"]);
}

const FAULT_GLOB = "**/*.fault.test.ts";
const FAULT_FILTER = ".fault.test.ts";

/** Runs vitest over every project and returns its counts from the JSON report. */
function vitest(name, args) {
  const report = join(root, "test-results", `vitest-${name}.json`);
  const status = pnpm(
    [
      "exec",
      "vitest",
      "run",
      ...args,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    { allowFailure: true, timed: true },
  );
  const counts = { status, passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    counts.passed = json.numPassedTests;
    counts.failed = json.numFailedTests;
    counts.skipped = json.numPendingTests + json.numTodoTests;
  }
  return counts;
}

/** `pnpm test:runtimes`, echoed, with its closing "N passed, N failed" line read back. */
function runtimeMatrix() {
  const started = Date.now();
  const result = spawnSync(pnpmBin, [...pnpmPre, "test:runtimes"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(result.stdout ?? "");
  console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const counts = { status: result.status ?? 1, passed: 0, failed: 0 };
  const last = (result.stdout ?? "").match(/^(\d+) passed, (\d+) failed$/gm)?.at(-1);
  if (last) {
    const [, p, f] = last.match(/^(\d+) passed, (\d+) failed$/);
    counts.passed = Number(p);
    counts.failed = Number(f);
  }
  return counts;
}

/**
 * The browser test drives Debian's Chromium (no browser downloads are possible
 * here). As root we install it; otherwise the test itself says how.
 */
function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  step("Installing Chromium for the browser test (apt-get install chromium)");
  run("apt-get", ["update", "-qq"], { timed: true });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    timed: true,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function step(title) {
  console.log(`\n▶ ${title}`);
}

const command = process.argv[2];
if (command === "demo") {
  ensureInstalled();
  step("Building the packages the demo uses");
  pnpm(["turbo", "run", "build", "--filter", "@tessera/demo...", "--output-logs=errors-only"]);
  step("Starting the demo");
  pnpm(["--filter", "@tessera/demo", "start"]);
} else if (command === "test") {
  const started = Date.now();
  ensureInstalled();
  ensureChromium();
  step("Starting the test services (scripts/services up)");
  run("bash", ["scripts/services", "up"], { timed: true });
  step("Building every package");
  pnpm(["turbo", "run", "build", "--output-logs=errors-only"], { timed: true });
  step("Typechecking");
  pnpm(["turbo", "run", "typecheck", "--output-logs=errors-only"], { timed: true });
  step("Lint and format (biome)");
  pnpm(["exec", "biome", "check", "."], { timed: true });
  step("Package checks (publint, attw)");
  pnpm(["turbo", "run", "check:package", "--output-logs=errors-only"], { timed: true });
  step("Changesets");
  pnpm(["changeset", "status"], { timed: true });
  mkdirSync(join(root, "test-results"), { recursive: true });
  // Fault tests stop and restart the shared servers, so they run after
  // everything else, one file at a time, where they can disturb nobody.
  step("Tests (vitest, every package and app)");
  const main = vitest("main", ["--exclude", FAULT_GLOB]);
  step("Runtime matrix (Node 20 and 22, Bun, Deno, workerd; browser bundles)");
  const runtimes = runtimeMatrix();
  step("Fault tests (servers stopped and restarted, one file at a time)");
  const faults = vitest("faults", [FAULT_FILTER, "--no-file-parallelism"]);
  const passed = main.passed + runtimes.passed + faults.passed;
  const failed = main.failed + runtimes.failed + faults.failed;
  const skipped = main.skipped + faults.skipped;
  console.log(`\nWhole run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  const ok =
    main.status === 0 &&
    runtimes.status === 0 &&
    faults.status === 0 &&
    failed === 0 &&
    skipped === 0;
  if (!ok || faults.passed === 0 || main.passed === 0 || runtimes.passed === 0) process.exit(1);
} else {
  console.error("usage: node scripts/run.mjs demo|test");
  process.exit(2);
}
