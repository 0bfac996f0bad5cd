import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link ReactRouterSessionError}.
 *
 * - `ERR_REACT_ROUTER_INVALID_OPTION`: `createTesseraSessionStorage` was given
 *   something other than a cookie-mode manager from `createSessions()`.
 * - `ERR_REACT_ROUTER_UNSUPPORTED_OPTION`: per-call cookie options
 *   (`commitSession(session, { maxAge })`, ...): the cookie's attributes come
 *   from `createSessions({ cookie })`, and "remember me" from `setPersistent`.
 * - `ERR_REACT_ROUTER_FOREIGN_SESSION`: a session that this storage's
 *   `getSession` did not return (one from `createSession`, or another storage).
 * - `ERR_REACT_ROUTER_MULTIPLE_COOKIES`: the commit needs more than one
 *   `Set-Cookie` field (a stateless session split into chunks), which the one
 *   string `commitSession` returns cannot carry; use `commitHeaders`.
 */
export type ReactRouterSessionErrorCode =
  | "ERR_REACT_ROUTER_INVALID_OPTION"
  | "ERR_REACT_ROUTER_UNSUPPORTED_OPTION"
  | "ERR_REACT_ROUTER_FOREIGN_SESSION"
  | "ERR_REACT_ROUTER_MULTIPLE_COOKIES";

/**
 * The one error class of `@tessera/react-router`. Check `code`, never the
 * message; `isInstance` works across duplicate copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   await storage.commitSession(session, { maxAge: 60 });
 * } catch (error) {
 *   if (ReactRouterSessionError.isInstance(error)) console.error(error.code); // ERR_REACT_ROUTER_UNSUPPORTED_OPTION
 * }
 * ```
 */
export class ReactRouterSessionError extends TesseraError<ReactRouterSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_REACT_ROUTER_";
  override readonly name: string = "ReactRouterSessionError";
}
