#!/usr/bin/env node
/**
 * The README's two commands, `npm run demo` and `npm test`, land here. They
 * must work on a fresh clone with only Node.js 20 and npm, so this script
 * brings the pinned pnpm (from the npm registry) and installs the workspace
 * before doing anything else. It uses only Node built-ins.
 *
 *   node scripts/run.mjs demo    build what the demo needs and start it
 *   node scripts/run.mjs test    services, build, typecheck, lint, package checks, every test
 *   node scripts/run.mjs clock   the Web-runtime packages' tests with the clock moved ahead
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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

/**
 * Installs the workspace once per lockfile. `demo` installs only the demo and
 * the packages it uses, without dependency build scripts: the demo needs no
 * native addon, and skipping the rest (Bun, Deno, workerd and Node 22 for the
 * runtime matrix, a source build of better-sqlite3) is what lets a fresh clone
 * start it in well under a minute. `full` is everything `npm test` needs; after
 * a demo install it also runs the build scripts that install skipped. A marker
 * in node_modules records which of the two is there, which this returns.
 */
function ensureInstalled(scope) {
  const marker = join(root, "node_modules", ".tessera-install");
  const lock = join(root, "pnpm-lock.yaml");
  const have = existsSync(marker) ? readFileSync(marker, "utf8").trim() : undefined;
  const current = have !== undefined && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (current && (have === "full" || have === scope)) return have;
  if (scope === "demo") {
    step("Installing what the demo needs (pnpm install --filter @tessera/demo...)");
    pnpm(
      [
        "install",
        "--frozen-lockfile",
        "--filter",
        "@tessera/demo...",
        "--filter",
        "tessera",
        "--config.ignore-scripts=true",
      ],
      { timed: true },
    );
  } else {
    step("Installing dependencies (pnpm install --frozen-lockfile)");
    pnpm(["install", "--frozen-lockfile"], { timed: true });
    if (have === "demo") {
      step("Running the dependency build scripts the demo install skipped (pnpm rebuild)");
      pnpm(["rebuild", "--recursive"], { timed: true });
    }
  }
  writeFileSync(marker, `${scope}\n`);
  return scope;
}

const FAULT_GLOB = "**/*.fault.test.ts";
const FAULT_FILTER = ".fault.test.ts";

/**
 * Runs vitest and returns its counts from the JSON report. `prefix` is a
 * command that vitest runs under (the clock-ahead pass uses `faketime`).
 */
function vitest(name, args, prefix = []) {
  const started = Date.now();
  const report = join(root, "test-results", `vitest-${name}.json`);
  mkdirSync(dirname(report), { recursive: true });
  const vitestArgs = [
    "exec",
    "vitest",
    "run",
    ...args,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ];
  const status =
    prefix.length === 0
      ? pnpm(vitestArgs, { allowFailure: true, timed: true })
      : run(prefix[0], [...prefix.slice(1), pnpmBin, ...pnpmPre, ...vitestArgs], {
          allowFailure: true,
          timed: true,
          env: { ...process.env, FAKETIME_DONT_FAKE_MONOTONIC: "1" },
        });
  const counts = { status, passed: 0, failed: 0, skipped: 0 };
  // A report left by an earlier run must not stand in for this one.
  if (existsSync(report) && statSync(report).mtimeMs >= started) {
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

/**
 * The clock-ahead pass: the unit tests of the Web-runtime packages again,
 * with the process clock moved 400 days and 10 years ahead by libfaketime
 * (Debian's `faketime`). A test that compares a fixed instant with the real
 * clock, or a component that reads another clock than the one the test gave
 * it, passes on the day it is written and fails some day later; this finds it
 * today. The monotonic clock is left alone so timers keep their pace.
 */
const CLOCK_PROJECTS = ["cookie", "signing", "store", "session", "tokens"];
const CLOCK_OFFSETS = ["+400d", "+10y"];

function ensureFaketime() {
  if (spawnSync("faketime", ["-f", "+0d", "true"]).status === 0) return;
  if (typeof process.getuid === "function" && process.getuid() === 0) {
    step("Installing libfaketime for the clock-ahead tests (apt-get install faketime)");
    run("apt-get", ["update", "-qq"], { timed: true });
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "faketime"], {
      timed: true,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    return;
  }
  console.error("✗ the clock-ahead tests need faketime: sudo apt-get install faketime");
  process.exit(1);
}

/** Runs the clock-ahead pass and prints its own "N passed, N failed" line. */
function clockAhead() {
  ensureFaketime();
  const projects = CLOCK_PROJECTS.flatMap((p) => ["--project", p]);
  const total = { status: 0, passed: 0, failed: 0, skipped: 0 };
  for (const offset of CLOCK_OFFSETS) {
    step(`Clock moved ${offset}: ${CLOCK_PROJECTS.join(", ")} (faketime -f ${offset})`);
    const counts = vitest(
      `clock${offset}`,
      [...projects, "--exclude", FAULT_GLOB],
      ["faketime", "-f", offset],
    );
    if (counts.status !== 0 || counts.passed === 0) total.status = counts.status || 1;
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  console.log(`clock-ahead: ${total.passed} passed, ${total.failed} failed`);
  return total;
}

function step(title) {
  console.log(`\n▶ ${title}`);
}

const command = process.argv[2];
if (command === "demo") {
  // A demo-only install (a fresh clone) builds ESM alone, without declarations
  // (tsup.base.ts); a full install keeps the full build its other tools read.
  const light = ensureInstalled("demo") === "demo";
  step("Building the packages the demo uses");
  pnpm(["turbo", "run", "build", "--filter", "@tessera/demo...", "--output-logs=errors-only"], {
    timed: true,
    env: light ? { ...process.env, TESSERA_BUILD: "js" } : process.env,
  });
  step("Starting the demo");
  pnpm(["--filter", "@tessera/demo", "start"]);
} else if (command === "test") {
  const started = Date.now();
  ensureInstalled("full");
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
  const clock = clockAhead();
  step("Runtime matrix (Node 20 and 22, Bun, Deno, workerd; browser bundles)");
  const runtimes = runtimeMatrix();
  step("Fault tests (servers stopped and restarted, one file at a time)");
  const faults = vitest("faults", [FAULT_FILTER, "--no-file-parallelism"]);
  const passed = main.passed + clock.passed + runtimes.passed + faults.passed;
  const failed = main.failed + clock.failed + runtimes.failed + faults.failed;
  const skipped = main.skipped + clock.skipped + faults.skipped;
  console.log(`\nWhole run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  const ok =
    main.status === 0 &&
    clock.status === 0 &&
    runtimes.status === 0 &&
    faults.status === 0 &&
    failed === 0 &&
    skipped === 0;
  if (!ok || faults.passed === 0 || main.passed === 0 || runtimes.passed === 0) process.exit(1);
} else if (command === "clock") {
  ensureInstalled("full");
  pnpm(["turbo", "run", "build", "--output-logs=errors-only"], { timed: true });
  const clock = clockAhead();
  if (clock.status !== 0 || clock.failed !== 0 || clock.skipped !== 0) process.exit(1);
} else {
  console.error("usage: node scripts/run.mjs demo|test|clock");
  process.exit(2);
}
