import type { RequestHandler } from "@sveltejs/kit";
import { currentSessions } from "../../../../src/lib/kit-registry.js";
import { type AppSession, route, toResponse } from "../../../../src/lib/routes.js";

// Every scenario route, as the `+server.ts` of an app would write it; SvelteKit
// answers HEAD with GET, and `route` answers 404 for the paths it does not know.
const handler: RequestHandler = async ({ request, locals }) => {
  const { session } = locals as { session: AppSession };
  return toResponse(await route(currentSessions(), session, request.method, request.url));
};

export const GET = handler;
export const POST = handler;
export const OPTIONS = handler;
