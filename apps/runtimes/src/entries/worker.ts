/**
 * workerd entry, bundled by esbuild (platform browser, format esm) and loaded
 * by miniflare as a module Worker, with and without nodejs_compat (the
 * driver passes the runtime id in `RUNTIME_ID`): `POST /__phase` runs
 * a phase with the JSON body as input; every other path is the withSessions
 * app that the serve check drives through dispatchFetch.
 */
import { describeError } from "../harness.js";
import { runPhase } from "../phase.js";
import { createApp } from "../serve-app.js";
import type { PhaseInput } from "../types.js";

let app: ReturnType<typeof createApp> | undefined;

export default {
  async fetch(
    request: Request,
    env: { WORKERD_VERSION?: string; RUNTIME_ID?: string },
  ): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/__phase" && request.method === "POST") {
      try {
        const input = (await request.json()) as PhaseInput;
        const version = env.WORKERD_VERSION ?? "unknown";
        return Response.json(await runPhase(input, env.RUNTIME_ID ?? "workerd", version));
      } catch (error) {
        return new Response(describeError(error), { status: 500 });
      }
    }
    // Created on the first request: workerd forbids I/O and timers at global scope.
    app ??= createApp();
    return app.fetch(request);
  },
};
