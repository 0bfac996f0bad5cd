export type { ReactRouterSessionErrorCode } from "./errors.js";
export { ReactRouterSessionError } from "./errors.js";
export type { TesseraRouterSession, TesseraSessionStorage } from "./session-storage.js";
export { createTesseraSessionStorage } from "./session-storage.js";
