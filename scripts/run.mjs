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
  step("Tests (vitest, every package and app)");
  mkdirSync(join(root, "test-results"), { recursive: true });
  const report = join(root, "test-results", "vitest.json");
  const status = pnpm(
    [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    { allowFailure: true, timed: true },
  );
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed = json.numPassedTests;
    failed = json.numFailedTests;
    skipped = json.numPendingTests + json.numTodoTests;
  }
  console.log(`\nWhole run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  if (status !== 0 || failed > 0 || skipped > 0 || passed === 0) process.exit(status || 1);
} else {
  console.error("usage: node scripts/run.mjs demo|test");
  process.exit(2);
}
