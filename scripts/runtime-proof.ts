/**
 * For the tests that prove a store on a runtime vitest does not run on (Deno,
 * workerd, Bun, Node 22's built-in SQLite): they bundle an entry, run it in a
 * child process and assert the JSON report it prints on one marked line.
 * Node built-ins only, so any package's tests can import it relatively, like
 * source-scan.ts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** How a child process ended: its exit code (null when killed or never started) and its output. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child's run and the report it printed (undefined when it printed none). */
export interface ReportedRun<Report> extends ChildRun {
  report: Report | undefined;
}

/** Options of {@link runReporting}. */
export interface RunReportingOptions {
  /** What starts the report's line; the rest of that line is the report as JSON. */
  mark: string;
  /** The child is killed (SIGKILL) after this long, so a hung runtime fails the test instead of stalling it. */
  timeoutMs: number;
  /** Working directory of the child (default: this process's). */
  cwd?: string;
}

/**
 * Runs `bin` with `args` (NO_COLOR set, so output compares as plain text)
 * and reads the report from the first stdout line that starts with `mark`.
 * Never rejects: a child that cannot start or is killed has code null and
 * says why at the end of stderr, so the test's assertions report it.
 */
export function runReporting<Report>(
  bin: string,
  args: readonly string[],
  options: RunReportingOptions,
): Promise<ReportedRun<Report>> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs} ms)`;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    const done = (code: number | null) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(options.mark));
      const report =
        line === undefined ? undefined : (JSON.parse(line.slice(options.mark.length)) as Report);
      resolve({ code, stdout, stderr, report });
    };
    child.on("close", (code) => done(code));
    child.on("error", (error) => {
      stderr += `\n${String(error)}`;
      done(null);
    });
  });
}

/** Options of {@link runtimeProof}. */
export interface RuntimeProofOptions extends RunReportingOptions {
  /** Starts the name of the temp dir the entry is bundled into; the dir is removed after the tests. */
  tempPrefix: string;
  /** Bundles the entry into `dir` and returns the command that runs it: `[bin, args]`. */
  prepare(dir: string): Promise<readonly [string, readonly string[]]>;
}

/**
 * Before the file's tests: a temp dir, `prepare` (bundle the entry into it),
 * then the run ({@link runReporting}); after them, the dir is removed. Returns
 * the run, filled in once the `beforeAll` is done: read it in the tests.
 */
export function runtimeProof<Report>(options: RuntimeProofOptions): ReportedRun<Report> {
  const run: ReportedRun<Report> = {
    code: null,
    stdout: "",
    stderr: "(the runtime proof did not run)",
    report: undefined,
  };
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), options.tempPrefix));
    const [bin, args] = await options.prepare(dir);
    Object.assign(run, await runReporting<Report>(bin, args, options));
  }, options.timeoutMs + 30_000);
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return run;
}

/** `name: error` of every failed check in a report, so `toEqual([])` shows what failed. */
export function failedChecks(
  results: ReadonlyArray<{ name: string; ok: boolean; error?: string }>,
): string[] {
  return results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
}

/** The part of esbuild's plugin API that {@link vitestStub} uses. */
interface StubBuild {
  onResolve(options: { filter: RegExp }, resolve: () => { path: string; namespace: string }): void;
  onLoad(
    options: { filter: RegExp; namespace: string },
    load: () => { contents: string; loader: "js" },
  ): void;
}

/**
 * An esbuild plugin that replaces `vitest` with a module whose `describe` and
 * `it` throw. The conformance entry's `describeStore` imports vitest, which
 * does not run on `runtime`; a runtime entry uses `runConformance` or
 * `runCheck` only, so the stub is bundled but never called.
 */
export function vitestStub(runtime: string): { name: string; setup(build: StubBuild): void } {
  return {
    name: "no-vitest",
    setup(build) {
      build.onResolve({ filter: /^vitest$/ }, () => ({ path: "vitest", namespace: "stub" }));
      build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
        contents:
          `const unavailable = () => { throw new Error(${JSON.stringify(`vitest is not bundled for ${runtime}`)}); };\n` +
          "export const describe = unavailable;\nexport const it = unavailable;\n",
        loader: "js",
      }));
    },
  };
}
