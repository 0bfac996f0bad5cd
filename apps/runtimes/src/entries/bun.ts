/**
 * Bun entry: `bun dist/bun.mjs <input.json>` runs a phase; `--serve` serves
 * the withSessions app with Bun.serve on 127.0.0.1 and drives it with fetch.
 */
import { runPhase } from "../phase.js";
import { createApp } from "../serve-app.js";
import { serveScenario } from "../serve-scenario.js";
import { type PhaseInput, RESULT_MARK } from "../types.js";

declare const Bun: {
  version: string;
  argv: string[];
  file(path: string): { text(): Promise<string> };
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Promise<Response>;
  }): { port: number; stop(closeActiveConnections?: boolean): void };
};

const runtime = "bun";
const version = `v${Bun.version}`;
const arg = Bun.argv[2];

if (arg === "--serve") {
  const app = createApp();
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  const results = await serveScenario(fetch, `http://127.0.0.1:${server.port}`, runtime);
  server.stop(true);
  await app.close();
  console.log(RESULT_MARK + JSON.stringify({ runtime, version, results }));
} else {
  const input = JSON.parse(await Bun.file(arg ?? "").text()) as PhaseInput;
  console.log(RESULT_MARK + JSON.stringify(await runPhase(input, runtime, version)));
}
