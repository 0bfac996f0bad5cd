import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { check, checkRepository, codesIn, markdownNamesIn } from "./own-words.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds a code from its parts, so that this file holds none itself. */
const code = (...parts: string[]) => parts.join("-");

const scratch = mkdtempSync(join(tmpdir(), "tessera-own-words-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("codesIn", () => {
  it("finds every catalogue-shaped code, ranges and lists included", () => {
    const a = code("AD", "02");
    const b = code("T", "D02");
    const c = code("T", "D05");
    const d = code("SID", "07");
    expect(codesIn(`one Set-Cookie field per cookie (${a})`)).toEqual([a]);
    expect(codesIn(`describe("${b}..${c} strict mode (${d})"`)).toEqual([b, c, d]);
    // A prefix the list has never used is caught too.
    expect(codesIn(`(${code("NEW", "01")})`)).toEqual([code("NEW", "01")]);
  });

  it("lets real names of the same shape through", () => {
    const text =
      "SHA-256, SHA-1, SHA-512, UTF-8, UTF-16, AES-256, P-256, P-384, RFC-6265, HTTP-503, ISO-8601, CVE-2024-47764";
    expect(codesIn(text)).toEqual([]);
  });

  it("reads a bare P- with two digits as a code, not a curve", () => {
    expect(codesIn(code("P", "01"))).toEqual([code("P", "01")]);
  });
});

describe("check", () => {
  it("reports a planted code with its file, line and text", () => {
    const planted = code("LC", "05");
    const findings = check("src/x.ts", `const a = 1;\n// rotate the id (${planted})\n`, new Set());
    expect(findings).toEqual([
      {
        file: "src/x.ts",
        line: 2,
        text: `// rotate the id (${planted})`,
        why: `"${planted}" looks like a code from a list readers cannot see`,
      },
    ]);
  });

  it("reports a Markdown file the repository does not hold, not one it does", () => {
    const outside = ["DESIGN", "md"].join(".");
    expect(markdownNamesIn(`see ${outside} and docs/scale-out.md`)).toEqual([
      outside,
      "scale-out.md",
    ]);
    const findings = check(
      "notes.txt",
      `see ${outside} and docs/scale-out.md`,
      new Set(["scale-out.md"]),
    );
    expect(findings.map((f) => f.why)).toEqual([`"${outside}" is not a file of this repository`]);
  });
});

describe("checkRepository", () => {
  it("finds a code planted in a source file of a tree, and skips vectors and lockfiles", () => {
    const planted = code("KEY", "05");
    const files: Record<string, string> = {
      "packages/x/src/a.ts": `// re-signed with the primary key (${planted})\n`,
      "packages/x/README.md": "Clean prose with SHA-256 in it.\n",
      "packages/x/test/vectors/v.json": `{ "random": "${code("AB", "12")}" }\n`,
      "pnpm-lock.yaml": `x: ${code("CD", "34")}\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), text);
    }
    expect(checkRepository(scratch).map((f) => `${f.file}:${f.line}`)).toEqual([
      "packages/x/src/a.ts:1",
    ]);
  });
});

describe("this repository", () => {
  // Codes from a checklist kept outside the repository once stood in for the
  // rules they name; readers could not look them up.
  it("cites no catalogue code and no Markdown file outside it", () => {
    const findings = checkRepository(root).map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`);
    expect(findings).toEqual([]);
  });
});
