import { fileURLToPath } from "node:url";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [sveltekit()],
  // The package under test, from its source: this app sits inside it, so its name does not resolve.
  resolve: {
    alias: { "@tessera/sveltekit": fileURLToPath(new URL("../../src/index.ts", import.meta.url)) },
  },
  logLevel: "warn",
});
