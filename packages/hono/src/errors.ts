import { TesseraError } from "@tessera/store";

/**
 * Stable codes of {@link HonoSessionError}.
 *
 * - `ERR_HONO_INVALID_OPTION`: a middleware option with a bad value.
 *
 * A change to the session after its commit began throws `SessionError`
 * `ERR_SESSION_COMMITTED` from `@tessera/session` itself.
 *
 * @example
 * ```ts
 * const code: HonoSessionErrorCode = "ERR_HONO_INVALID_OPTION";
 * ```
 */
export type HonoSessionErrorCode = "ERR_HONO_INVALID_OPTION";

/**
 * The one error class of `@tessera/hono`. Check `code`, never the message;
 * `isInstance` works across duplicate copies of the package.
 *
 * @example
 * ```ts
 * try {
 *   sessionMiddleware(sessions, { meta: "bad" as never });
 * } catch (error) {
 *   if (HonoSessionError.isInstance(error)) console.error(error.code); // ERR_HONO_INVALID_OPTION
 * }
 * ```
 */
export class HonoSessionError extends TesseraError<HonoSessionErrorCode> {
  static override readonly codePrefix: string = "ERR_HONO_";

  constructor(code: HonoSessionErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "HonoSessionError";
  }
}

/**
 * Throws the `ERR_HONO_INVALID_OPTION` error a bad option gets at startup.
 *
 * @example
 * ```ts
 * if (typeof meta !== "function") invalidOption("option meta is invalid: expected a function");
 * ```
 */
export function invalidOption(message: string): never {
  throw new HonoSessionError("ERR_HONO_INVALID_OPTION", message);
}
