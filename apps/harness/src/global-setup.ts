import { buildKitApp } from "./lib/kit-build.js";

/** Builds the SvelteKit app of the matrix's sveltekit entry once per run (cached across runs). */
export default async function setup(): Promise<void> {
  await buildKitApp();
}
