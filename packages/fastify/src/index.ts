export type { FastifySessionErrorCode } from "./errors.js";
export { FastifySessionError } from "./errors.js";
export type { FastifySessionsOptions, FastifySessionsPluginOptions } from "./fastify-sessions.js";
export { fastifySessions, sessionOf } from "./fastify-sessions.js";
export type {
  Register,
  RegisteredData,
  RegisteredFlash,
  RegisteredSessions,
  RequestSession,
} from "./types.js";
