/**
 * Scratch apps for the docs test: the publishable packages packed as a user
 * gets them (`pnpm pack`, after the build), installed with npm into one app and
 * with pnpm (isolated, nothing hoisted) into one app per package README, and
 * the TypeScript compiler run on README code against what got installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import type { ReadmeBlock } from "./readme-blocks.js";

/**
 * Third-party packages the READMEs tell users to install that no workspace
 * package depends on, pinned here (every other version is the workspace's own).
 */
export const EXTRA_VERSIONS: Readonly<Record<string, string>> = {
  // memjs ships no types; the store-memcached README says to add these.
  "@types/memjs": "1.3.3",
};

/** The workspace's publishable packages: name, directory and packed tarball. */
export interface Packed {
  name: string;
  dir: string;
  tarball: string;
}

/**
 * Packs every non-private package under `packages/` into `dest` with `pnpm pack`
 * (which turns `workspace:^` into real version ranges, as publishing does).
 *
 * @example
 * ```ts
 * const packed = packAll(root, join(tmp, "packs"));
 * ```
 */
export function packAll(root: string, dest: string): Packed[] {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const packed: Packed[] = [];
  for (const entry of readdirSync(join(root, "packages")).sort()) {
    const dir = join(root, "packages", entry);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (manifest.private) continue;
    if (!existsSync(join(dir, "dist"))) {
      throw new Error(`${manifest.name} is not built: run \`pnpm build\` before the docs test`);
    }
    const file = `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
    packed.push({ name: manifest.name, dir, tarball: join(dest, file) });
  }
  // One recursive pnpm call: a process per package costs seconds each on a busy machine.
  sh("pnpm", ["-r", "--filter", "./packages/*", "pack", "--pack-destination", dest], root);
  const missing = packed.filter((p) => !existsSync(p.tarball));
  if (missing.length > 0) {
    throw new Error(`pnpm pack wrote no ${missing.map((p) => p.tarball).join(", ")}`);
  }
  return packed;
}

/**
 * The version of a third-party package the workspace installed (packages
 * first, then apps, then the root), or the pinned {@link EXTRA_VERSIONS} one.
 *
 * @example
 * ```ts
 * workspaceVersion(root, "express"); // "5.3.0"
 * ```
 */
export function workspaceVersion(root: string, name: string): string {
  const dirs = [
    ...["packages", "apps"].flatMap((group) =>
      readdirSync(join(root, group))
        .sort()
        .map((entry) => join(root, group, entry)),
    ),
    root,
  ];
  for (const dir of dirs) {
    const file = join(dir, "node_modules", name, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")).version;
  }
  const pinned = EXTRA_VERSIONS[name];
  if (pinned === undefined) {
    throw new Error(
      `no workspace package installs ${name}: add it to EXTRA_VERSIONS in scripts/docs/scratch.ts`,
    );
  }
  return pinned;
}

/** Runs a command, throwing with its output when it fails. */
export function sh(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): string {
  const result = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} (in ${cwd}) failed with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Writes a JSON file. */
export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** The compiler options a user's strict Node app would have. */
export function userCompilerOptions(appDir: string): ts.CompilerOptions {
  return {
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    // No `lib`: TypeScript's default for the target (with DOM), what `tsc --init` gives.
    types: ["node"],
    typeRoots: [join(appDir, "node_modules", "@types")],
    esModuleInterop: true,
  };
}

/** A README block written out as a file of a scratch app. */
export interface BlockFile {
  block: ReadmeBlock;
  path: string;
  /** Lines of setup put before the block's code. */
  setupLines: number;
}

/** The block's program text: setup, code, and `export {}` so it is a module. */
export function blockSource(block: ReadmeBlock): { text: string; setupLines: number } {
  const setup = block.setup === "" ? "" : `${block.setup}\n`;
  const setupLines = setup === "" ? 0 : setup.split("\n").length - 1;
  return { text: `${setup}${block.code}\nexport {};\n`, setupLines };
}

/** Writes a block into `dir` and returns where. */
export function writeBlock(dir: string, name: string, block: ReadmeBlock): BlockFile {
  mkdirSync(dir, { recursive: true });
  const { text, setupLines } = blockSource(block);
  const path = join(dir, `${name}.ts`);
  writeFileSync(path, text);
  return { block, path, setupLines };
}

/**
 * Type-checks files as one program and returns each diagnostic as
 * "README:line: message" (for block files) or "file(line): message" (for
 * declarations the program loaded), with the compiler's code.
 */
export function typecheck(
  files: BlockFile[],
  options: ts.CompilerOptions,
  base: string,
): { messages: string[]; diagnostics: readonly ts.Diagnostic[] } {
  const program = ts.createProgram(
    files.map((f) => f.path),
    options,
  );
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const messages = diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
    if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const own = byPath.get(d.file.fileName);
    if (!own)
      return `${relative(base, d.file.fileName)}(${line + 1},${character + 1}): TS${d.code}: ${text}`;
    const at =
      line < own.setupLines
        ? `${own.block.setupLine + line} (docs-test setup)`
        : `${own.block.line + 1 + line - own.setupLines}`;
    return `${own.block.file}:${at}: TS${d.code}: ${text}`;
  });
  return { messages, diagnostics };
}

/** The block's code as JavaScript (an ES module) for Node to run. */
export function toJavaScript(block: ReadmeBlock): string {
  return ts.transpileModule(blockSource(block).text, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
}

/** Runs a JavaScript module file with Node in `cwd`; the failure, or undefined. */
export function runModule(file: string, cwd: string, timeoutMs = 30_000): string | undefined {
  const result = spawnSync(process.execPath, [file], { cwd, encoding: "utf8", timeout: timeoutMs });
  if (result.status === 0) return undefined;
  const why = result.signal
    ? `killed by ${result.signal} (timeout ${timeoutMs} ms?)`
    : `exit ${result.status}`;
  return `${why}\n${result.stderr.trim() || result.stdout.trim()}`;
}
