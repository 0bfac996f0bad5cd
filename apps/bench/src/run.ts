/**
 * `pnpm bench [id ...]`: runs every benchmark in src/benchmarks (or the named
 * ones) and writes their tables into docs/benchmarks.md, one section each.
 * BENCH_ROUNDS (default 5) and BENCH_TIME_MS (default 300) set the effort.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { Benchmark } from "./harness.js";
import { renderTable, upsertSection } from "./report.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const docPath = fileURLToPath(new URL("../../../docs/benchmarks.md", import.meta.url));
const HEADER = `# Benchmarks

Produced by \`pnpm bench\` (apps/bench). Every figure of ours stands beside its
peer measured in the same process and rounds; values are medians. Ratio above 1
means Tessera is faster (or smaller). Absolute numbers drift between machines;
compare ratios.
`;

const wanted = new Set(process.argv.slice(2));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const timeMs = Number(process.env.BENCH_TIME_MS ?? 300);

// The effort settings this run was given, so each section names the command that made it.
const settings = Object.keys(process.env)
  .filter((name) => /^(BENCH|HTTP_BENCH|REDIS_BENCH)_/.test(name))
  .sort()
  .map((name) => `${name}=${process.env[name]} `)
  .join("");

const files = (await readdir(`${here}benchmarks`)).filter((f) => f.endsWith(".bench.ts")).sort();
let doc: string;
try {
  doc = await readFile(docPath, "utf8");
} catch {
  doc = HEADER;
}

for (const file of files) {
  const mod = (await import(`./benchmarks/${file}`)) as { default: Benchmark };
  const bench = mod.default;
  if (wanted.size > 0 && !wanted.has(bench.id)) continue;
  process.stdout.write(`\n## ${bench.title}\n`);
  const rows = await bench.run({ rounds, timeMs });
  const table = renderTable(rows);
  process.stdout.write(`${table}\n`);
  const stamp = `Node ${process.version}, ${os.cpus().length} cores, ${rounds} rounds of ${timeMs} ms, ${new Date().toISOString().slice(0, 10)}. Command: \`${settings}pnpm bench ${bench.id}\``;
  doc = upsertSection(doc, bench.id, `## ${bench.title}\n\n${stamp}\n\n${table}`);
}
await writeFile(docPath, doc);
