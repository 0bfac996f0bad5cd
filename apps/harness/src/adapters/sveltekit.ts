import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { KIT_OUT } from "../lib/kit-build.js";
import { hasCurrentSessions, setCurrentSessions } from "../lib/kit-registry.js";
import { listen, type RunningApp } from "../lib/listen.js";
import type { AppSessions } from "../lib/routes.js";

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * A real SvelteKit app (`sveltekit-app`: `sessionHandle` in its
 * `hooks.server.ts`, the scenario routes in a `+server.ts`), built with
 * adapter-node by the harness's global setup and served by the adapter's own
 * `handler` on `node:http`. The build serves every store: its hook reads the
 * manager this function registers, so only one such server runs at a time.
 */
export async function startSvelteKit(sessions: AppSessions): Promise<RunningApp> {
  if (hasCurrentSessions()) throw new Error("a SvelteKit harness server is already running");
  const { handler } = (await import(pathToFileURL(join(KIT_OUT, "handler.js")).href)) as {
    handler: NodeHandler;
  };
  setCurrentSessions(sessions);
  try {
    const app = await listen(
      createServer((req, res) =>
        handler(req, res, () => {
          res.statusCode = 404;
          res.end();
        }),
      ),
    );
    return {
      url: app.url,
      close: async () => {
        try {
          await app.close();
        } finally {
          setCurrentSessions(undefined);
        }
      },
    };
  } catch (error) {
    setCurrentSessions(undefined);
    throw error;
  }
}
