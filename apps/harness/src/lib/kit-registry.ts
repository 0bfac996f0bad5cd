import type { AppSessions } from "./routes.js";

// The built SvelteKit app runs in the harness's own process, but its server
// code is a separate bundle: a `globalThis` key is what both sides can see.
const KEY = Symbol.for("tessera.harness.sveltekit.sessions");
type Registry = { [KEY]?: AppSessions };

/** Makes `sessions` the manager the built SvelteKit app serves with; `undefined` clears it. */
export function setCurrentSessions(sessions: AppSessions | undefined): void {
  (globalThis as Registry)[KEY] = sessions;
}

/** The manager the harness set for the SvelteKit server now running. */
export function currentSessions(): AppSessions {
  const sessions = (globalThis as Registry)[KEY];
  if (sessions === undefined) throw new Error("no manager set: start the app with startSvelteKit");
  return sessions;
}

/** Whether a SvelteKit server of the harness is running (one at a time). */
export function hasCurrentSessions(): boolean {
  return (globalThis as Registry)[KEY] !== undefined;
}
