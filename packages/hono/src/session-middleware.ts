import {
  type CommitResult,
  failureResponse,
  httpFailure,
  type LoadMeta,
  type Session,
  type SessionData,
  type Sessions,
} from "@tessera/session";
import type { Context, Env, MiddlewareHandler } from "hono";
import { HonoSessionError } from "./errors.js";

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

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

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
    ? Same<S, Session<Data, Flash>> extends true
      ? unknown
      : { "the manager's data and flash types must be those of the Env's session variable": S }
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

function varyWithCookie(vary: string | null): string {
  if (vary === null || vary === "") return "Cookie";
  return /(^|,)\s*(cookie|\*)\s*(,|$)/i.test(vary) ? vary : `${vary}, Cookie`;
}

/**
 * A copy of the response with each `Set-Cookie` appended as its own field,
 * never joined with ", " (AD-02), plus `Cache-Control: no-store` and
 * `Vary: Cookie` (AD-03). Copied once, because the handler's response may
 * have immutable headers (from `fetch()` or `Response.redirect()`).
 */
function withCookies(
  response: Response,
  cookies: readonly string[],
  headers: Readonly<Record<string, string>>,
): Response {
  const out = new Response(response.body, response);
  for (const name of Object.keys(headers)) out.headers.set(name, headers[name]!);
  if (cookies.length === 0) return out;
  for (const value of cookies) out.headers.append("set-cookie", value);
  out.headers.set("cache-control", "no-store");
  out.headers.set("vary", varyWithCookie(out.headers.get("vary")));
  return out;
}

/**
 * Hono 4 middleware for every runtime Hono runs on (Node through
 * `@hono/node-server`, Bun, Deno, Workers): loads the session onto
 * `c.get("session")`, runs the rest of the chain, then commits and appends each
 * `Set-Cookie` as its own field with `Cache-Control: no-store` and
 * `Vary: Cookie` (AD-02, AD-03). A store outage answers 503 (ERR-02) instead
 * of serving a fresh session; a commit that loses every write race
 * (`ERR_SESSION_CONFLICT`) answers 409 and stores nothing; a route's
 * `requireFresh` refusal (`ERR_SESSION_REAUTH_REQUIRED`) that the app's
 * `onError` left as a 500 answers 401 with `Cache-Control: no-store`. `HEAD`,
 * `OPTIONS` and `304` responses commit nothing: nothing was shown to the user that a write could record.
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
  if (
    typeof sessions !== "object" ||
    sessions === null ||
    typeof sessions.load !== "function" ||
    typeof sessions.commitHeaders !== "function"
  ) {
    throw new HonoSessionError(
      "ERR_HONO_SESSION_INVALID_OPTION",
      "sessions is invalid: expected the manager returned by createSessions()",
    );
  }
  const hops = options.trustProxy ?? 0;
  if (typeof hops !== "number" || !Number.isInteger(hops) || hops < 0 || hops > 32) {
    throw new HonoSessionError(
      "ERR_HONO_SESSION_INVALID_OPTION",
      `option trustProxy is invalid: ${String(hops)} (expected an integer in 0..32)`,
    );
  }
  const meta = options.meta ?? defaultMeta(hops);
  if (typeof meta !== "function") {
    throw new HonoSessionError(
      "ERR_HONO_SESSION_INVALID_OPTION",
      "option meta is invalid: expected a function",
    );
  }
  // Bearer mode reads only the Authorization header (SID-07, decision 6).
  const tokenHeader = sessions.tokenMode === "authorization" ? "authorization" : "cookie";

  const handler: MiddlewareHandler<{ Variables: SessionVariables<Data, Flash> }> = async (
    c,
    next,
  ) => {
    let session: Session<Data, Flash>;
    try {
      session = await sessions.load(c.req.header(tokenHeader), meta(c));
    } catch (error) {
      const failure = httpFailure(error);
      if (failure === undefined) throw error;
      return failureResponse(failure);
    }
    // The manager's own session: it refuses changes itself once its commit began (AD-04).
    c.set("session", session);
    await next();
    // A route that threw (requireFresh's step-up refusal, a store outage in
    // login) went through the app's onError. When that gave the generic 500,
    // answer as every adapter does (401, 503, 409), and store nothing, as
    // for a failed load or commit.
    if (c.error !== undefined && c.res.status === 500) {
      const failure = httpFailure(c.error);
      if (failure !== undefined) {
        c.res = undefined;
        c.res = failureResponse(failure);
        return;
      }
    }
    const method = c.req.method;
    if (method === "HEAD" || method === "OPTIONS" || c.res.status === 304) return;
    let result: CommitResult;
    try {
      result = await sessions.commitHeaders(session);
    } catch (error) {
      const failure = httpFailure(error);
      if (failure === undefined) throw error;
      // Cleared first: Hono's setter copies the old response's headers onto
      // the new one, which here must carry nothing of the failed response.
      c.res = undefined;
      c.res = failureResponse(failure);
      return;
    }
    const names = Object.keys(result.headers);
    const noStore = result.token !== undefined;
    if (result.setCookie.length === 0 && names.length === 0 && !noStore) return;
    const response = withCookies(c.res, result.setCookie, result.headers);
    // Bearer mode: the app sends the token in its body; no cache may keep it (RFC 6749 §5.1).
    if (noStore) response.headers.set("cache-control", "no-store");
    c.res = undefined;
    c.res = response;
  };
  // MatchesEnv checked that E's session variable, if any, is this manager's.
  return handler as unknown as MiddlewareHandler<E>;
}
