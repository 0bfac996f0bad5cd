import adapter from "@sveltejs/adapter-node";

// The harness's global setup sets both folders to a git-ignored cache, so a
// build never writes into the repository.
export default {
  kit: {
    adapter: adapter({ out: process.env.TESSERA_KIT_OUT ?? "build" }),
    outDir: process.env.TESSERA_KIT_DIR ?? ".svelte-kit",
  },
};
