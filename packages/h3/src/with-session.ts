import {
  applyCookies,
  failureResponseFor,
  type LoadMeta,
  type Session,
  type SessionData,
  type Sessions,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { answerInstead, holdHeaders, writeSessionHeaders } from "@tessera/session/node";
import {
  defineEventHandler,
  type EventHandler,
  type EventHandlerRequest,
  getRequestIP,
  type H3Event,
} from "h3";
import { H3SessionError } from "./errors.js";
import type { MatchesRegister, SessionEvent } from "./types.js";

/**
 * Options of {@link withSession}.
 *
 * @example
 * ```ts
 * withSession(sessions, handler, { meta: (event) => ({ ip: getRequestIP(event, { xForwardedFor: true }) }) });
 * ```
 */
export interface H3SessionOptions {
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * @default the `User-Agent` header and h3's `getRequestIP(event)` (the socket's address; `X-Forwarded-For` ignored)
   */
  meta?: (event: H3Event) => LoadMeta | undefined;
}

/**
 * Which manager loaded each event's session, for {@link sessionOf}; kept
 * beside the event so its context carries nothing but the session.
 */
const loadedBy = new WeakMap<H3Event, unknown>();

const defaultMeta = (event: H3Event): LoadMeta => ({
  userAgent: event.node.req.headers["user-agent"],
  ip: getRequestIP(event),
});

const invalid = (message: string) => new H3SessionError("ERR_H3_INVALID_OPTION", message);

/**
 * The answer to a session failure (store outage, lost write race, step-up
 * refusal): `httpFailure`'s status and headers, and none of the headers the
 * handler had set. Rethrows any other error.
 */
function failWith(event: H3Event, error: unknown): Response {
  const response = failureResponseFor(error);
  const res = event.node.res;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  return response;
}

/**
 * The request's session with the manager's own data and flash types, in code
 * that gets the event without the wrapper's types (a helper, a composable).
 * Throws `H3SessionError` `ERR_H3_NO_SESSION` unless `withSession` loaded it
 * with this same manager, so the types it returns are never a guess.
 *
 * @example
 * ```ts
 * function visits(event: H3Event) {
 *   return sessionOf(event, sessions).get("visits") ?? 0;
 * }
 * ```
 */
export function sessionOf<Data extends SessionData, Flash extends SessionData>(
  event: H3Event,
  sessions: Sessions<Data, Flash>,
): Session<Data, Flash> {
  if (typeof event !== "object" || event === null || loadedBy.get(event) !== sessions) {
    throw new H3SessionError(
      "ERR_H3_NO_SESSION",
      "no session of this manager on this event: wrap the handler in withSession(sessions, handler) with the same manager",
    );
  }
  return (event.context as { session?: unknown }).session as Session<Data, Flash>;
}

/**
 * Wraps an h3 (v1, as in Nuxt 4 and Nitro 2) event handler: loads the
 * session named by the request's cookie (or, in `tokenMode:
 * "authorization"`, its `Authorization` header) onto
 * `event.context.session`, runs the handler, and commits through
 * `@tessera/session`'s `respond` before the response's headers go out,
 * whether the handler returns a value or a `Response`, or sends the response
 * itself (`sendRedirect`, `send`, `sendStream`). Every HTTP rule (what
 * `HEAD`, `OPTIONS` and `304` commit, `Cache-Control`, `Vary`, the
 * 503/409/401 answers) is the session package's; this wrapper only writes
 * them on the response.
 *
 * @example
 * ```ts
 * // server/api/visits.ts in a Nuxt app
 * export default withSession(sessions, (event) => {
 *   const session = event.context.session; // Session<{ visits: number }>
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   return { visits: session.get("visits") };
 * });
 * ```
 */
export function withSession<
  Data extends SessionData,
  Flash extends SessionData,
  Result,
  Request extends EventHandlerRequest = EventHandlerRequest,
>(
  sessions: Sessions<Data, Flash> & NoInfer<MatchesRegister<Data, Flash>>,
  handler: (event: SessionEvent<Data, Flash, Request>) => Result,
  options: H3SessionOptions = {},
): EventHandler<Request, Promise<Awaited<Result> | Response>> {
  const adapter = new SessionAdapter(sessions, options, { defaultMeta, invalid });
  if (typeof handler !== "function") throw invalid("handler is invalid: expected a function");

  return defineEventHandler<Request, Promise<Awaited<Result> | Response>>(
    async (event): Promise<Awaited<Result> | Response> => {
      const res = event.node.res;
      let session: Session<Data, Flash>;
      try {
        session = await adapter.load(event.node.req.headers[adapter.tokenHeader], event);
      } catch (error) {
        return failWith(event, error);
      }
      // The context's declared `session` type follows the user's Register.
      (event.context as { session?: unknown }).session = session;
      loadedBy.set(event, sessions);
      // The handler sent the response itself: commit before its headers go out.
      const hold = holdHeaders(res, {
        method: event.method,
        commit: (status, vary) => adapter.finish(session, { method: event.method, status, vary }),
        onError: (error) => answerInstead(res, error),
      });
      let value: Awaited<Result>;
      try {
        value = await handler(event as SessionEvent<Data, Flash, Request>);
      } catch (error) {
        // Nothing of a handler that failed half-way is stored. A requireFresh refusal
        // or a store outage in login answers as a failed load or commit does; any
        // other error goes on to h3's error handling.
        await hold.handlerThrew(error);
        return failWith(event, error);
      }
      if (!hold.open) {
        await hold.settled;
        return value;
      }
      hold.release();
      // Nothing sent yet: commit now, before h3 writes what the handler returned.
      const response = value instanceof Response ? value : undefined;
      try {
        const out = await adapter.finish(session, {
          method: event.method,
          status: response?.status ?? res.statusCode,
          vary: response === undefined ? res.getHeader("vary") : response.headers.get("vary"),
        });
        if (response !== undefined) return applyCookies(response, out.setCookie, out.headers);
        writeSessionHeaders(res, out);
        return value;
      } catch (error) {
        return failWith(event, error);
      }
    },
  );
}
