/**
 * `@tessera/session/node`: helpers for adapters on Node's `http` responses
 * (Express, h3, Next.js API routes). Kept out of the main entry, which runs
 * on every runtime and loads no `node:` module.
 *
 * @packageDocumentation
 */

export { answerFailure, answerInstead } from "./answer-instead.js";
export type { HeadersHook, HeldResponse, HoldOptions } from "./hold-headers.js";
export { holdHeaders, writeSessionHeaders } from "./hold-headers.js";
