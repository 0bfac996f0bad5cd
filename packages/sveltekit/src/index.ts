export type { SvelteKitSessionErrorCode } from "./errors.js";
export { SvelteKitSessionError } from "./errors.js";
export type {
  MatchesLocals,
  SessionLocals,
  SvelteKitSessionOptions,
} from "./session-handle.js";
export { sessionHandle } from "./session-handle.js";
