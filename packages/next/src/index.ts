export { createNextSessions } from "./create-next-sessions.js";
export type { NextSessionErrorCode } from "./errors.js";
export { NextSessionError } from "./errors.js";
export type {
  HeaderReader,
  NextSessions,
  NextSessionsOptions,
  ReadonlySession,
} from "./next-sessions.js";
