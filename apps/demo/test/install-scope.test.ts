/**
 * `npm run demo` on a fresh clone installs and builds only what the demo
 * needs: the whole workspace would also fetch Bun, Deno, workerd, Next.js,
 * Chromium's driver and a second Node for the other apps, and turn a start of
 * well under a minute into several; so would building the type declarations
 * the demo does not use. This runs the launcher (scripts/run.mjs)
 * as `npm run demo` does, from a copy of the repository's root files and with
 * a pnpm on PATH that only records what it is asked to do, then asks the real
 * pnpm which workspace projects the recorded filters select.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

interface Manifest {
  name: string;
  packageManager?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** Every workspace project by name. */
function workspaceProjects(): Map<string, Manifest> {
  const out = new Map<string, Manifest>();
  for (const group of ["packages", "apps"]) {
    for (const entry of readdirSync(join(root, group))) {
      const m = manifest(join(root, group, entry));
      out.set(m.name, m);
    }
  }
  return out;
}

/** The demo and every workspace package it depends on, directly or not, and the root. */
function demoClosure(): string[] {
  const projects = workspaceProjects();
  const seen = new Set<string>(["tessera"]);
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const m = projects.get(name);
    for (const deps of [m?.dependencies, m?.devDependencies, m?.optionalDependencies]) {
      for (const [dep, spec] of Object.entries(deps ?? {})) {
        if (spec.startsWith("workspace:")) visit(dep);
      }
    }
  };
  visit("@tessera/demo");
  return [...seen].sort();
}

/** The values of every `--filter` in a pnpm or turbo command line. */
const filters = (args: string[]) => args.flatMap((a, i) => (args[i - 1] === "--filter" ? [a] : []));

/** One pnpm call of the launcher: its arguments and the build kind it asked for. */
interface Call {
  args: string[];
  build: string | undefined;
}

let scratch = "";
let runs = 0;

/**
 * Runs `npm run demo`'s launcher in a copy of the root files, with an install
 * marker when given (`full`: the checkout of a contributor who ran `npm test`);
 * returns its pnpm calls and the marker it leaves.
 */
function launch(existingMarker?: string): { calls: Call[]; marker: string } {
  const dir = join(scratch, `run-${++runs}`);
  const clone = join(dir, "repo");
  mkdirSync(join(clone, "scripts"), { recursive: true });
  mkdirSync(join(clone, "node_modules"));
  for (const file of ["package.json", "pnpm-lock.yaml", "scripts/run.mjs"]) {
    copyFileSync(join(root, file), join(clone, file));
  }
  const markerFile = join(clone, "node_modules", ".tessera-install");
  // Written after the lockfile's copy, so the launcher sees it as current.
  if (existingMarker !== undefined) writeFileSync(markerFile, `${existingMarker}\n`);
  // A pnpm that answers the launcher's version probe and records every other call.
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const log = join(dir, "calls.jsonl");
  const version = manifest(root).packageManager?.split("@")[1] ?? "10.0.0";
  writeFileSync(
    join(bin, "record.mjs"),
    `import { appendFileSync } from "node:fs";
const args = process.argv.slice(2);
if (args[0] === "--version") console.log(${JSON.stringify(version)});
else appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, build: process.env.TESSERA_BUILD }) + "\\n");
`,
  );
  writeFileSync(
    join(bin, "pnpm"),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(bin, "record.mjs"))} "$@"\n`,
  );
  chmodSync(join(bin, "pnpm"), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  };
  delete env.TESSERA_BUILD;
  execFileSync(process.execPath, [join(clone, "scripts", "run.mjs"), "demo"], {
    cwd: clone,
    env,
    stdio: "pipe",
  });
  const calls = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Call);
  return { calls, marker: readFileSync(markerFile, "utf8").trim() };
}

let calls: Call[] = [];
let marker = "";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "tessera-demo-install-"));
  ({ calls, marker } = launch());
});

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
});

describe("npm run demo on a fresh clone", () => {
  it("installs only the demo's projects, without dependency build scripts, and records a demo install", () => {
    const install = calls.find((call) => call.args[0] === "install")?.args;
    expect(install, `the launcher's pnpm calls: ${JSON.stringify(calls)}`).toBeDefined();
    if (!install) return;
    expect(install).toContain("--frozen-lockfile");
    // Build scripts are what fetch Bun, Deno, workerd and a second Node.
    expect(install).toContain("--config.ignore-scripts=true");
    const wanted = filters(install);
    expect(wanted.length, `no --filter in: pnpm ${install.join(" ")}`).toBeGreaterThan(0);
    // What the filters select, as pnpm resolves them in this workspace.
    const listed = JSON.parse(
      execFileSync(
        "pnpm",
        ["list", ...wanted.flatMap((f) => ["--filter", f]), "--depth", "-1", "--json"],
        { cwd: root, encoding: "utf8" },
      ),
    ) as Array<{ name: string }>;
    expect(listed.map((p) => p.name).sort()).toEqual(demoClosure());
    expect(marker).toBe("demo");
  }, 60_000);

  it("builds only the JavaScript of the packages the demo uses, then starts it", () => {
    const build = calls.find((call) => call.args[0] === "turbo");
    expect(build, `the launcher's pnpm calls: ${JSON.stringify(calls)}`).toBeDefined();
    expect(filters(build?.args ?? [])).toEqual(["@tessera/demo..."]);
    // ESM only, without declarations (tsup.base.ts): a quarter of the full build's CPU time.
    expect(build?.build).toBe("js");
    expect(calls.at(-1)?.args).toEqual(["--filter", "@tessera/demo", "start"]);
  });
});

describe("npm run demo where npm test installed everything", () => {
  it("installs nothing and keeps the full build (declarations included) the other tools read", () => {
    const full = launch("full");
    expect(full.calls.map((call) => call.args[0])).toEqual(["turbo", "--filter"]);
    expect(full.calls[0]?.build).toBeUndefined();
    expect(full.marker).toBe("full");
  });
});
