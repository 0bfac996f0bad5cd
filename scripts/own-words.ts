/**
 * Comments, test names and docs say the rule itself, in the project's own
 * words, with an RFC, OWASP or issue reference where it helps. They never
 * cite what a reader of the repository cannot open: a code from a checklist
 * kept elsewhere (a capital prefix, a hyphen and two digits, such as a
 * threat-catalogue entry), or a Markdown file that is not in the repository.
 * `own-words.test.ts` runs these checks over every tracked file.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";

/**
 * Anything shaped like a catalogue code: one to five capitals, a hyphen, an
 * optional capital and one to three digits, standing alone.
 */
const CODE_SHAPE = /\b[A-Z]{1,5}-[A-Z]?[0-9]{1,3}\b/g;

/**
 * Real names of that shape: hash, cipher and encoding names, NIST curves, and
 * RFC, CVE or HTTP numbers written with a hyphen. NIST curves are listed one
 * by one because a bare `P-` with two digits is a catalogue code.
 */
const REAL_NAMES: readonly RegExp[] = [
  /^(SHA|UTF|AES|RFC|CVE|HTTP|ISO|TLS)-[0-9]+$/,
  /^P-(192|224|256|384|521)$/,
];

/** Markdown files that tools write outside the tree this check reads. */
const GENERATED_MARKDOWN: ReadonlySet<string> = new Set(["CHANGELOG.md"]);

/** Text files this check reads, by extension (and a few names without one). */
const TEXT_FILE =
  /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|md|mdx|json|jsonc|yaml|yml|toml|sh|html|css|sql|txt)$|(^|\/)(services|Dockerfile|\.gitignore|\.npmrc)$/;

/** Never read: lockfiles, and generated test vectors (random bytes can look like a code). */
const SKIPPED = /(^|\/)(pnpm-lock\.yaml|package-lock\.json)$|(^|\/)test\/vectors\//;

/** One place where a file cites what the repository does not hold. */
export interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** The code-shaped words of `text` that are not real names, in order. */
export function codesIn(text: string): string[] {
  return [...text.matchAll(CODE_SHAPE)]
    .map((m) => m[0])
    .filter((word) => !REAL_NAMES.some((name) => name.test(word)));
}

/** The Markdown file names `text` mentions (`README.md`, `docs/scale-out.md` → `scale-out.md`). */
export function markdownNamesIn(text: string): string[] {
  return [...text.matchAll(/\b[A-Za-z0-9_-]+\.md\b/g)].map((m) => m[0]);
}

/**
 * Checks one file's text. `known` holds the base names of the repository's
 * files: a Markdown name outside it points to a file readers cannot open.
 */
export function check(file: string, text: string, known: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((content, i) => {
    const at = { file, line: i + 1, text: content.trim().slice(0, 160) };
    for (const code of codesIn(content)) {
      findings.push({ ...at, why: `"${code}" looks like a code from a list readers cannot see` });
    }
    for (const name of markdownNamesIn(content)) {
      if (!known.has(name) && !GENERATED_MARKDOWN.has(name)) {
        findings.push({ ...at, why: `"${name}" is not a file of this repository` });
      }
    }
  });
  return findings;
}

/**
 * The repository's own files, relative to `root`: what git tracks plus new
 * files it does not ignore; without git (an unpacked tarball), every file
 * outside node_modules, build output and caches.
 */
export function repositoryFiles(root: string): string[] {
  const git = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (git.status === 0) return git.stdout.split("\0").filter((f) => f !== "");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (/^(node_modules|dist|\.git|\.turbo|\.next|coverage|test-results)$/.test(entry.name)) {
        continue;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

/** Checks every text file of the repository at `root`. */
export function checkRepository(root: string): Finding[] {
  const files = repositoryFiles(root);
  const known = new Set(files.map((f) => basename(f)));
  const findings: Finding[] = [];
  for (const file of files) {
    if (!TEXT_FILE.test(file) || SKIPPED.test(file)) continue;
    const path = join(root, file);
    // A tracked file deleted in the working tree is not there to read.
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      continue;
    }
    if (size > 2 * 1024 * 1024) continue;
    findings.push(...check(file, readFileSync(path, "utf8"), known));
  }
  return findings;
}
