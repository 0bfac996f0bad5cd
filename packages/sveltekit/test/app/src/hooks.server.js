import { sessionHandle } from "@tessera/sveltekit";
import { sessions } from "$lib/server/sessions.js";

export const handle = sessionHandle(sessions);
