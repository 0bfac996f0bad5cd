/**
 * Deno entry. A phase runs with `--allow-read=<input dir>` and no other
 * permission: `deno run --node-modules-dir=manual --allow-read=<dir>
 * dist/deno.mjs <input.json>`. The serve check (`--serve`) also needs
 * `--allow-net=127.0.0.1` for Deno.serve and its own fetch; nothing else.
 */
import { runPhase } from "../phase.js";
import { createApp } from "../serve-app.js";
import { serveScenario } from "../serve-scenario.js";
import { type PhaseInput, RESULT_MARK } from "../types.js";

declare const Deno: {
  version: { deno: string };
  args: string[];
  readTextFile(path: string): Promise<string>;
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> };
};

const runtime = "deno";
const version = `v${Deno.version.deno}`;
const arg = Deno.args[0];

if (arg === "--serve") {
  const app = createApp();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  const results = await serveScenario(fetch, `http://127.0.0.1:${server.addr.port}`, runtime);
  await server.shutdown();
  await app.close();
  console.log(RESULT_MARK + JSON.stringify({ runtime, version, results }));
} else {
  const input = JSON.parse(await Deno.readTextFile(arg ?? "")) as PhaseInput;
  console.log(RESULT_MARK + JSON.stringify(await runPhase(input, runtime, version)));
}
