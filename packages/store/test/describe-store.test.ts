import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceChecks, NO_USER_INDEX_REASON } from "../src/conformance/index.js";

// describeStore on a store without the user index, run in a child vitest (the
// fixture's skipped tests must not count in this project's own run).
const fixture = fileURLToPath(new URL("fixtures/vitest-entry", import.meta.url));
const vitestBin = join(
  dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
  "vitest.mjs",
);

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
  meta?: unknown;
}

let dir: string;
let tests: Assertion[] = [];
let output = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-describe-store-"));
  const report = join(dir, "report.json");
  const run = spawnSync(
    process.execPath,
    [
      vitestBin,
      "run",
      "--root",
      fixture,
      "--config",
      join(fixture, "vitest.config.ts"),
      "--reporter=json",
      "--reporter=verbose",
      `--outputFile.json=${report}`,
    ],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 90_000 },
  );
  output = `${run.stdout}\n${run.stderr}`;
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    testResults: Array<{ assertionResults: Assertion[] }>;
  };
  tests = json.testResults.flatMap((f) => f.assertionResults);
}, 100_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const inSuite = (suite: string) => tests.filter((t) => t.ancestorTitles[0] === suite);
// By name, so this holds whatever `requires` says: every "user index:" check
// but the one that checks the capability is declared whole or not at all.
const needIndex = conformanceChecks
  .map((c) => c.name)
  .filter((name) => name.startsWith("user index:") && !name.startsWith("user index: declared"));

describe("describeStore (vitest) on a store without the user index", () => {
  it("ran the fixture", () => {
    expect(tests.length, output).toBeGreaterThan(0);
    expect(needIndex).toHaveLength(4);
  });

  // Bug: the user-index tests returned early and vitest showed them as passed.
  it("marks the user-index tests skipped, never passed, when userIndex is unset", () => {
    const suite = inSuite("unset");
    expect(suite.map((t) => t.title)).toEqual(conformanceChecks.map((c) => c.name));
    expect(suite.filter((t) => t.status === "skipped").map((t) => t.title)).toEqual(needIndex);
    expect(suite.filter((t) => t.status !== "skipped").every((t) => t.status === "passed")).toBe(
      true,
    );
  });

  it("registers no user-index test and says why when userIndex is false, so nothing is skipped", () => {
    const suite = inSuite("declared absent");
    expect(suite).toHaveLength(conformanceChecks.length - needIndex.length);
    expect(suite.every((t) => t.status === "passed")).toBe(true);
    const note = suite.find((t) => t.title.startsWith("user index: declared"));
    expect(note?.title).toContain(`declared absent: ${needIndex.length} user-index checks not run`);
    expect(note?.title).toContain("revokeUser");
  });

  it("fails the capability test and the user-index tests when userIndex is true", () => {
    const suite = inSuite("declared present");
    const failed = suite.filter((t) => t.status === "failed").map((t) => t.title);
    expect(failed).toEqual([
      "user index: declared as both listByUser and deleteByUser, or neither",
      ...needIndex,
    ]);
    expect(suite.some((t) => t.status === "skipped")).toBe(false);
  });

  it("shows the reason next to each skipped test in vitest's report", () => {
    const noted = output.split("\n").filter((line) => line.includes(`[${NO_USER_INDEX_REASON}]`));
    expect(noted.map((line) => needIndex.find((name) => line.includes(name)))).toEqual(needIndex);
  });
});
