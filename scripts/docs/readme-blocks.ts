/**
 * Finds the code blocks of the READMEs and what the docs test does with each.
 *
 * Every ```ts / ```js block is a program the docs test type-checks under
 * `strict` and runs. A block that is not a whole program says so:
 *
 * - ```ts signature: an API listing or pseudo-code; not checked.
 * - an HTML comment right before the fence, `<!-- docs-test: MODE: why -->`,
 *   where MODE is `typecheck-only` (compiled, not run: it needs a server, or
 *   never exits) or `skip` (not checked at all). The reason is required.
 *   Lines after the first line of the comment are hidden setup code (imports,
 *   `declare const` for what the surrounding text defines) put before the
 *   block; `<!-- docs-test: run` with setup lines runs the block with them.
 *
 * Dependency-free (node builtins only) so the test and its own checks share it.
 */
import { readFileSync } from "node:fs";

/** What the docs test does with a block. */
export type BlockMode = "run" | "typecheck-only" | "skip";

/** One fenced TypeScript or JavaScript block of a README. */
export interface ReadmeBlock {
  /** The README, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`ts`, `js`, ...). */
  lang: string;
  mode: BlockMode;
  /** Why the block is not run (required unless `mode` is `run`). */
  reason: string | undefined;
  /** Hidden setup code from the directive, put before the block. */
  setup: string;
  /** 1-based README line of the setup's first line (0 when there is none). */
  setupLine: number;
  /** The block's code. */
  code: string;
}

/** A README problem the docs test reports instead of checking the block. */
export interface DirectiveError {
  file: string;
  line: number;
  message: string;
}

const CODE_LANGS = new Set(["ts", "typescript", "tsx", "js", "javascript", "mjs"]);
const FENCE = /^(`{3,}|~{3,})(.*)$/;
const DIRECTIVE = /^<!--\s*docs-test:\s*([a-z-]+)\s*(?::\s*(.*?))?\s*(-->)?\s*$/;

/**
 * The code blocks of one README and the mistakes in their directives.
 *
 * @example
 * ```ts
 * const { blocks, errors } = readmeBlocks("packages/cookie/README.md", text);
 * ```
 */
export function readmeBlocks(
  file: string,
  text: string,
): { blocks: ReadmeBlock[]; errors: DirectiveError[] } {
  const lines = text.split("\n");
  const blocks: ReadmeBlock[] = [];
  const errors: DirectiveError[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? "");
    if (!open) continue;
    const fence = open[1] ?? "```";
    const info = (open[2] ?? "").trim().split(/\s+/);
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? "").startsWith(fence)) end++;
    const code = lines.slice(i + 1, end).join("\n");
    const lang = info[0] ?? "";
    if (CODE_LANGS.has(lang)) {
      const block = describe(file, lines, i, lang, info.slice(1), code, errors);
      if (block) blocks.push(block);
    }
    i = end;
  }
  return { blocks, errors };
}

function describe(
  file: string,
  lines: string[],
  fenceIndex: number,
  lang: string,
  words: string[],
  code: string,
  errors: DirectiveError[],
): ReadmeBlock | undefined {
  const base = { file, line: fenceIndex + 1, lang, code, setup: "", setupLine: 0 };
  if (words.includes("signature")) {
    return { ...base, mode: "skip", reason: "API signatures, not a program" };
  }
  if (words.length > 0) {
    errors.push({
      file,
      line: fenceIndex + 1,
      message: `unknown info string word "${words.join(" ")}": use "signature" or a docs-test comment`,
    });
    return undefined;
  }
  // The directive is the HTML comment that ends on the line before the fence.
  const last = fenceIndex - 1;
  if (last < 0 || !(lines[last] ?? "").trimEnd().endsWith("-->")) {
    return { ...base, mode: "run", reason: undefined };
  }
  let first = last;
  while (first >= 0 && !(lines[first] ?? "").startsWith("<!--")) first--;
  const head = DIRECTIVE.exec(lines[first] ?? "");
  if (first < 0 || !head) return { ...base, mode: "run", reason: undefined };
  const mode = head[1] as BlockMode;
  const reason = head[2]?.trim() || undefined;
  if (mode !== "run" && mode !== "typecheck-only" && mode !== "skip") {
    errors.push({
      file,
      line: first + 1,
      message: `unknown docs-test mode "${mode}": use run, typecheck-only or skip`,
    });
    return undefined;
  }
  if (mode !== "run" && reason === undefined) {
    errors.push({
      file,
      line: first + 1,
      message: `docs-test ${mode} needs a reason: <!-- docs-test: ${mode}: why -->`,
    });
    return undefined;
  }
  const setupLines = head[3] ? [] : lines.slice(first + 1, last + 1);
  const closing = setupLines.length > 0 ? setupLines[setupLines.length - 1] : undefined;
  if (closing !== undefined) {
    setupLines[setupLines.length - 1] = closing.replace(/\s*-->\s*$/, "");
  }
  return {
    ...base,
    mode,
    reason,
    setup: setupLines.join("\n"),
    setupLine: setupLines.length > 0 ? first + 2 : 0,
  };
}

/**
 * The packages a README's install block names: the first ```sh block's
 * `npm install` lines, split into dependencies and `--save-dev` ones.
 *
 * @example
 * ```ts
 * installLine(text); // { line: 4, dependencies: ["@tessera/store-memcached", "memjs"], devDependencies: ["@types/memjs"] }
 * ```
 */
export function installLine(
  text: string,
): { line: number; dependencies: string[]; devDependencies: string[] } | undefined {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^```(sh|bash|shell)\s*$/.test(l));
  if (start < 0) return undefined;
  const dependencies: string[] = [];
  const devDependencies: string[] = [];
  for (let i = start + 1; i < lines.length && !(lines[i] ?? "").startsWith("```"); i++) {
    const words = (lines[i] ?? "").replace(/#.*$/, "").trim().split(/\s+/);
    if (words[0] !== "npm" || (words[1] !== "install" && words[1] !== "i")) continue;
    const dev = words.includes("--save-dev") || words.includes("-D");
    for (const word of words.slice(2)) {
      if (word.startsWith("-")) continue;
      (dev ? devDependencies : dependencies).push(word);
    }
  }
  if (dependencies.length === 0 && devDependencies.length === 0) return undefined;
  return { line: start + 1, dependencies, devDependencies };
}

/**
 * The bare module names a piece of code imports (`node:` and relative ones left out),
 * reduced to package names (`@scope/name` or `name`).
 *
 * @example
 * ```ts
 * importedPackages('import x from "@tessera/store/conformance";'); // ["@tessera/store"]
 * ```
 */
export function importedPackages(code: string): string[] {
  const out = new Set<string>();
  const re =
    /(?:^|[\s;])(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/gm;
  for (const match of code.matchAll(re)) {
    const spec = match[1] ?? match[2] ?? "";
    if (spec.startsWith(".") || spec.startsWith("/") || /^[a-z]+:/.test(spec)) continue;
    const parts = spec.split("/");
    out.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? spec));
  }
  return [...out];
}

/** Reads a README relative to `root`. */
export function readReadme(root: string, file: string): string {
  return readFileSync(`${root}/${file}`, "utf8");
}
