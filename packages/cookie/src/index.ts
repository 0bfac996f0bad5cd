export type { ChunkOptions, JoinChunksOptions } from "./chunk.js";
export { chunkSetCookie, joinChunks } from "./chunk.js";
export { clearCookie } from "./clear-cookie.js";
export type { SecureCookieDefaults } from "./defaults.js";
export { secureCookieDefaults } from "./defaults.js";
export type { CookieErrorCode } from "./errors.js";
export { CookieError } from "./errors.js";
export type { CookieHeader, ParseCookieAllOptions, ParseCookieOptions } from "./lib/header.js";
export { parseCookie } from "./parse-cookie.js";
export { parseCookieAll } from "./parse-cookie-all.js";
export type { ParseSetCookieOptions } from "./parse-set-cookie.js";
export { parseSetCookie } from "./parse-set-cookie.js";
export { serializeSetCookie } from "./serialize-set-cookie.js";
export type {
  CookieAttributes,
  CookieEncoding,
  HostConstraint,
  HostHttpConstraint,
  HttpConstraint,
  OptionsFor,
  PrefixConstraint,
  Priority,
  SameSite,
  SecureConstraint,
  SerializeOptions,
  SetCookie,
  SetCookieAttributes,
} from "./types.js";
