import type { LoadMeta, Sessions } from "./create-sessions.js";
import { failureResponseFor, sendWithSession } from "./send-with-session.js";
import type { Session } from "./session.js";

/**
 * A Fetch-style handler that receives the request's session.
 *
 * @example
 * ```ts
 * const handler: SessionHandler = async (request, session) => new Response(String(session.get("n") ?? 0));
 * ```
 */
export type SessionHandler<Data extends object, Flash extends object, Extra extends unknown[]> = (
  request: Request,
  session: Session<Data, Flash>,
  ...extra: Extra
) => Response | Promise<Response>;

/**
 * Options of {@link withSessions}.
 *
 * @example
 * ```ts
 * withSessions(sessions, handler, { meta: (req) => ({ ip: req.headers.get("x-real-ip") ?? undefined }) });
 * ```
 */
export interface WithSessionsOptions {
  /** Request metadata for `load` (the IP is runtime-specific; pass it from your platform). */
  meta?: (request: Request) => LoadMeta | undefined;
}

/**
 * Wraps a `(request, session) => Response` handler for Node, Bun, Deno and
 * edge runtimes: loads the session, calls the handler, commits, and appends
 * the cookies to the response. A store outage answers `503` with
 * `Retry-After` instead of serving a fresh session that would later overwrite the real one; a commit that
 * loses every write race answers `409`, and a handler's `requireFresh` refusal
 * answers `401` with `Cache-Control: no-store` (see {@link httpFailure}); none of
 * them stores anything or sends a cookie. `HEAD`, `OPTIONS` and `304`
 * responses commit nothing, as in every adapter (see {@link respond}). Extra arguments
 * (a Workers `env`, a Deno `info`) are passed through.
 *
 * @example
 * ```ts
 * const handler = withSessions(sessions, async (request, session) => {
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   return new Response(`visit ${session.get("visits")}`);
 * });
 * export default { fetch: handler };
 * ```
 */
export function withSessions<
  Data extends object,
  Flash extends object,
  Extra extends unknown[] = [],
>(
  sessions: Sessions<Data, Flash>,
  handler: SessionHandler<Data, Flash, Extra>,
  options: WithSessionsOptions = {},
): (request: Request, ...extra: Extra) => Promise<Response> {
  return async (request, ...extra) => {
    try {
      const session = await sessions.load(request, options.meta?.(request));
      return await sendWithSession(
        sessions,
        session,
        request.method,
        await handler(request, session, ...extra),
      );
    } catch (error) {
      return failureResponseFor(error);
    }
  };
}
