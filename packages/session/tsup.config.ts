import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// The adapter kit has entries of its own, so an app without an adapter does
// not carry it; `node` is for Node adapters only (the others load no `node:` module).
export default defineConfig(
  packageBuild({ index: "src/index.ts", adapter: "src/adapter.ts", node: "src/node.ts" }),
);
