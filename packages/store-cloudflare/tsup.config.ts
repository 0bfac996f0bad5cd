import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// Runs inside Cloudflare Workers and Durable Objects: no Node built-ins, platform neutral.
export default defineConfig(packageBuild({ index: "src/index.ts" }));
