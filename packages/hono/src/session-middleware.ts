import {
  failureResponseFor,
  httpFailure,
  type LoadMeta,
  type MatchesDeclaredSession,
  type Session,
  type SessionData,
  type Sessions,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import type { Context, Env, MiddlewareHandler } from "hono";
import { invalidOption } from "./errors.js";

/**
 * The context variables the middleware sets: `c.get("session")`.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: SessionVariables<{ visits: number }> }>();
 * ```
 */
export interface SessionVariables<
  Data extends SessionData = SessionData,
  Flash extends SessionData = SessionData,
> {
  session: Session<Data, Flash>;
}

/**
 * `unknown` (no constraint) when the Env `E` does not declare a `session`
 * variable, or declares exactly the session of a manager of `Data` and
 * `Flash`; otherwise an object type no manager has, so passing the manager
 * fails to compile and the message names the session type the Env expects.
 *
 * @example
 * ```ts
 * type Ok = MatchesEnv<{ Variables: SessionVariables<{ visits: number }> }, { visits: number }, SessionData>; // unknown
 * ```
 */
export type MatchesEnv<E, Data extends SessionData, Flash extends SessionData> = 0 extends 1 & E
  ? unknown
  : E extends { Variables: { session: infer S } }
    ? MatchesDeclaredSession<S, Data, Flash>
    : unknown;

/**
 * Options of {@link sessionMiddleware}.
 *
 * @example
 * ```ts
 * import { getConnInfo } from "@hono/node-server/conninfo";
 * sessionMiddleware(sessions, { meta: (c) => ({ ip: getConnInfo(c).remote.address }) });
 * ```
 */
export interface HonoSessionOptions {
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * The client IP is runtime-specific in Hono: the default finds it only on
   * `@hono/node-server`; elsewhere pass it from your runtime (`getConnInfo`,
   * `cf-connecting-ip`, ...).
   * @default the `User-Agent` header, and on `@hono/node-server` the socket's address (see `trustProxy`)
   */
  meta?: (c: Context) => LoadMeta | undefined;
  /**
   * For the default `meta` on `@hono/node-server`: how many proxies in front
   * of the app to trust. `0` uses the socket's address; `n` takes the address
   * `n` hops back in `X-Forwarded-For` (as Express's `trust proxy: n`), so a
   * client cannot pick its own IP by sending the header. Only set it when
   * that many proxies really append to the header. Ignored when `meta` is given.
   * @default 0 (the socket's address; `X-Forwarded-For` is ignored)
   */
  trustProxy?: number;
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The peer address on `@hono/node-server` (its bindings carry Node's
 * `IncomingMessage` as `incoming`), then `hops` trusted proxies back through
 * `X-Forwarded-For`. Other runtimes expose no socket here: undefined.
 */
function clientIp(c: Context, hops: number): string | undefined {
  const peer = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (peer === undefined || hops === 0) return peer;
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded === undefined) return peer;
  const chain = forwarded.split(",").map((part) => part.trim());
  chain.push(peer);
  // Only the last `hops` entries were appended by proxies we trust; a shorter chain yields its first.
  const ip = chain[Math.max(0, chain.length - 1 - hops)];
  return ip === undefined || ip === "" ? peer : ip;
}

function defaultMeta(hops: number): (c: Context) => LoadMeta | undefined {
  return (c) => {
    const userAgent = c.req.header("user-agent");
    const ip = clientIp(c, hops);
    if (userAgent === undefined && ip === undefined) return undefined;
    return {
      ...(userAgent === undefined ? {} : { userAgent }),
      ...(ip === undefined ? {} : { ip }),
    };
  };
}

/**
 * Replaces the context's response. Cleared first: Hono's setter copies the
 * old response's headers onto the new one, which here must carry nothing
 * the new one does not already have.
 */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/**
 * Hono 4 middleware for every runtime Hono runs on (Node through
 * `@hono/node-server`, Bun, Deno, Workers): loads the session onto
 * `c.get("session")`, runs the rest of the chain, then commits. What to send
 * is `@tessera/session`'s `respond`, as in every adapter: each `Set-Cookie` its
 * own field with `Cache-Control: no-store` and `Vary: Cookie`, and nothing
 * committed on `HEAD`, `OPTIONS` and `304`. Failures answer as
 * `httpFailure` says: a store outage 503 instead of a fresh session that
 * would later overwrite real data; a commit that loses every write race
 * (`ERR_SESSION_CONFLICT`) 409, storing nothing; a route's `requireFresh`
 * refusal (`ERR_SESSION_REAUTH_REQUIRED`) that the app's `onError` left as a
 * 500, 401 with `Cache-Control: no-store`.
 *
 * The handler's Env comes from the manager: chained on the app
 * (`new Hono().use(sessionMiddleware(sessions))`), `c.get("session")` has
 * the manager's data and flash types in every later route. Where the
 * handler is typed for an explicit Env instead (an annotation, `satisfies`,
 * or `E` given), that Env's `session` variable must be exactly this
 * manager's session, or the call does not compile.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { sessionMiddleware } from "@tessera/hono";
 *
 * const app = new Hono().use(sessionMiddleware(sessions));
 * app.get("/", (c) => {
 *   const session = c.get("session"); // Session<{ visits: number }>
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   return c.text(`visit #${session.get("visits")}`);
 * });
 * ```
 */
export function sessionMiddleware<
  Data extends SessionData,
  Flash extends SessionData,
  E extends Env = { Variables: SessionVariables<Data, Flash> },
>(
  sessions: Sessions<Data, Flash> & NoInfer<MatchesEnv<E, Data, Flash>>,
  options: HonoSessionOptions = {},
): MiddlewareHandler<E> {
  const hops = options?.trustProxy ?? 0;
  if (typeof hops !== "number" || !Number.isInteger(hops) || hops < 0 || hops > 32) {
    invalidOption(`option trustProxy is invalid: ${String(hops)} (expected an integer in 0..32)`);
  }
  const adapter = new SessionAdapter(sessions, options, {
    defaultMeta: defaultMeta(hops),
    invalid: invalidOption,
  });

  const handler: MiddlewareHandler<{ Variables: SessionVariables<Data, Flash> }> = async (
    c,
    next,
  ) => {
    const session = await adapter.loadOrFail(c.req.header(adapter.tokenHeader), c);
    if (session instanceof Response) return session;
    // The manager's own session: it refuses changes itself once its commit
    // began, since such a change could reach neither the store nor the cookie.
    c.set("session", session);
    await next();
    // A route that threw (requireFresh's step-up refusal, a store outage in
    // login) went through the app's onError. When that gave the generic 500,
    // answer as every adapter does (401, 503, 409), and store nothing, as
    // for a failed load or commit.
    if (c.error !== undefined && c.res.status === 500 && httpFailure(c.error) !== undefined) {
      replaceResponse(c, failureResponseFor(c.error));
      return;
    }
    const response = await adapter.send(session, c.req.method, c.res);
    // A copy when the route's response had immutable headers (`fetch()`,
    // `Response.redirect()`), or the failure's answer in its place.
    if (response !== c.res) replaceResponse(c, response);
  };
  // MatchesEnv checked that E's session variable, if any, is this manager's.
  return handler as unknown as MiddlewareHandler<E>;
}
