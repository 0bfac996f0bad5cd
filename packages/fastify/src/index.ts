export type { FastifySessionErrorCode } from "./errors.js";
export { FastifySessionError } from "./errors.js";
export type { FastifySessionsOptions } from "./fastify-sessions.js";
export { fastifySessions } from "./fastify-sessions.js";
export type { Register, RegisteredData, RegisteredFlash, RequestSession } from "./types.js";
