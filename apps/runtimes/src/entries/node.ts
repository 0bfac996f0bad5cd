/**
 * Node entry (20 and 22): `node dist/node.mjs <input.json>` runs a phase;
 * `node dist/node.mjs --serve` serves the withSessions app through node:http
 * (a ten-line Fetch bridge: Node has no Fetch server of its own) and drives it
 * with the global fetch over 127.0.0.1. Only this entry, never the packages,
 * imports `node:`.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runPhase } from "../phase.js";
import { createApp } from "../serve-app.js";
import { serveScenario } from "../serve-scenario.js";
import { type PhaseInput, RESULT_MARK } from "../types.js";

// The matrix passes the id (argv[3]) so two Nodes of one major stay apart.
const runtime = process.argv[3] ?? `node${process.versions.node.split(".")[0]}`;
const arg = process.argv[2];

if (arg === "--serve") {
  const app = createApp();
  const server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const response = await app.fetch(
      new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers }),
    );
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const results = await serveScenario(fetch, `http://127.0.0.1:${port}`, runtime);
  server.close();
  // fetch keeps its sockets alive; close them so the process exits now.
  server.closeAllConnections();
  await app.close();
  console.log(RESULT_MARK + JSON.stringify({ runtime, version: process.version, results }));
} else {
  const input = JSON.parse(readFileSync(arg ?? "", "utf8")) as PhaseInput;
  const result = await runPhase(input, runtime, process.version);
  console.log(RESULT_MARK + JSON.stringify(result));
}
