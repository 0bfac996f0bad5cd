import type { Handle } from "@sveltejs/kit";
import { sessionHandle } from "@tessera/sveltekit";
import { currentSessions } from "../../src/lib/kit-registry.js";

type Hook = ReturnType<typeof sessionHandle>;
// One hook per manager: the harness serves this one build for every store.
const hooks = new WeakMap<object, Hook>();

export const handle: Handle = (input) => {
  const sessions = currentSessions();
  let hook = hooks.get(sessions);
  if (hook === undefined) {
    hook = sessionHandle(sessions);
    hooks.set(sessions, hook);
  }
  return hook(input);
};
