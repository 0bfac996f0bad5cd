// Size budget (cookie runs on every request and in edge bundles, so it stays small): the gzipped ESM
// build must stay under the budget. Run after `pnpm build`, as part of check:package.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 10 * 1024;
const file = new URL("../dist/index.js", import.meta.url);
const size = gzipSync(readFileSync(file), { level: 9 }).length;
if (size > BUDGET) {
  console.error(`@tessera/cookie: dist/index.js is ${size} B gzipped, over the ${BUDGET} B budget`);
  process.exit(1);
}
console.log(`@tessera/cookie: dist/index.js is ${size} B gzipped (budget ${BUDGET} B)`);
