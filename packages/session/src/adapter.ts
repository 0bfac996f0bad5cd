/**
 * `@tessera/session/adapter`: the glue a framework adapter needs around a
 * manager ({@link SessionAdapter}), and the errors it hands a framework's
 * error handler ({@link adapterError}). Its own entry, so an app that uses
 * no adapter does not carry it.
 *
 * @packageDocumentation
 */
export type { AdapterFailure } from "./adapter-error.js";
export { adapterError } from "./adapter-error.js";
export type { AdapterOptions, AdapterSetup } from "./session-adapter.js";
export { SessionAdapter } from "./session-adapter.js";
