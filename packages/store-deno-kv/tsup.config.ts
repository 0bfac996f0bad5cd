import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// Runs wherever Deno KV does (Deno, Deno Deploy): no Node built-ins, platform neutral.
export default defineConfig(packageBuild({ index: "src/index.ts" }));
