import {
  httpFailure,
  type LoadMeta,
  type Session,
  type SessionData,
  type Sessions,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { writeSessionHeaders } from "@tessera/session/node";
import type { Context, DefaultState, Middleware } from "koa";
import { KoaSessionError } from "./errors.js";
import type { MatchesRegister, SessionContext } from "./types.js";

/**
 * Options of {@link sessionMiddleware}.
 *
 * @example
 * ```ts
 * sessionMiddleware(sessions, { meta: (ctx) => ({ ip: ctx.get("x-real-ip") }) });
 * ```
 */
export interface KoaSessionOptions {
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * @default the `User-Agent` header and `ctx.ip` (which honours Koa's `app.proxy`)
   */
  meta?: (ctx: Context) => LoadMeta | undefined;
}

/** The manager that loaded `ctx.session`, for {@link sessionOf}; off the public context type. */
const LOADED_BY = Symbol("@tessera/koa.loadedBy");

/** What the middleware keeps on the context; `session` as `unknown`, since its declared type follows the user's Register. */
interface Slots {
  session: unknown;
  [LOADED_BY]?: unknown;
}

const slots = (ctx: Context): Slots => ctx as unknown as Slots;

// Koa's ctx.ip honours app.proxy (X-Forwarded-For only when the app trusts a proxy).
const defaultMeta = (ctx: Context): LoadMeta => ({
  userAgent: ctx.headers["user-agent"],
  ip: ctx.ip === "" ? undefined : ctx.ip,
});

/**
 * Answers a session failure (store outage, lost write race, step-up refusal)
 * with the status and headers `httpFailure` gives, and nothing the app had
 * set on the response: no cookie, nothing stored. Rethrows an error that is
 * not one of those, or any error once the response already went out.
 */
function answerFailure(ctx: Context, error: unknown): void {
  const failure = httpFailure(error);
  if (failure === undefined || ctx.headerSent) throw error;
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name);
  ctx.status = failure.status;
  ctx.set(failure.headers);
  ctx.type = "text/plain";
  ctx.body = ctx.message;
}

const headersSent = () =>
  new KoaSessionError(
    "ERR_KOA_HEADERS_SENT",
    "the session's cookie could not be sent: the response's headers were already sent (ctx.respond = false or a write to ctx.res)",
  );

/**
 * The request's session with the manager's own data and flash types, where
 * the context is not typed by the app (`@koa/router` routes, a plain `Koa`
 * app). Throws `KoaSessionError` `ERR_KOA_NO_SESSION` unless
 * `sessionMiddleware` loaded it with this same manager, so the types it
 * returns are never a guess.
 *
 * @example
 * ```ts
 * router.get("/", (ctx) => {
 *   const session = sessionOf(ctx, sessions); // Session<{ visits: number }>
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   ctx.body = `visit #${session.get("visits")}`;
 * });
 * ```
 */
export function sessionOf<Data extends SessionData, Flash extends SessionData>(
  ctx: Context,
  sessions: Sessions<Data, Flash>,
): Session<Data, Flash> {
  if (ctx === null || typeof ctx !== "object" || slots(ctx)[LOADED_BY] !== sessions) {
    throw new KoaSessionError(
      "ERR_KOA_NO_SESSION",
      "no session of this manager on this request: mount sessionMiddleware(sessions) with the same manager before this route",
    );
  }
  return slots(ctx).session as Session<Data, Flash>;
}

/**
 * Koa 3 middleware: loads the session named by the request's cookie (or, in
 * `tokenMode: "authorization"`, its `Authorization` header) onto
 * `ctx.session`, runs the rest of the chain, then commits it through
 * `@tessera/session`'s `respond` and sets the headers it returns before Koa
 * sends the response. Every HTTP rule (what `HEAD`, `OPTIONS` and `304`
 * commit, `Cache-Control`, `Vary`, the 503/409/401 answers) is the session
 * package's; this middleware only writes them on `ctx`.
 *
 * `new Koa().use(sessionMiddleware(sessions))` returns an app whose
 * `ctx.session` has the manager's data and flash types; see {@link Register}
 * for typing every context instead.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import { sessionMiddleware } from "@tessera/koa";
 *
 * const app = new Koa().use(sessionMiddleware(sessions));
 * app.use((ctx) => {
 *   ctx.session.set("visits", (ctx.session.get("visits") ?? 0) + 1);
 *   ctx.body = `visit #${ctx.session.get("visits")}`;
 * });
 * ```
 */
export function sessionMiddleware<Data extends SessionData, Flash extends SessionData>(
  sessions: Sessions<Data, Flash> & NoInfer<MatchesRegister<Data, Flash>>,
  options: KoaSessionOptions = {},
): Middleware<DefaultState, SessionContext<Data, Flash>> {
  const adapter = new SessionAdapter(sessions, options, {
    defaultMeta,
    invalid: (message) => new KoaSessionError("ERR_KOA_INVALID_OPTION", message),
  });

  const middleware = async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
    let session: Session<Data, Flash>;
    try {
      session = await adapter.load(ctx.headers[adapter.tokenHeader], ctx);
    } catch (error) {
      return answerFailure(ctx, error);
    }
    const slot = slots(ctx);
    slot.session = session;
    slot[LOADED_BY] = sessions;
    try {
      await next();
    } catch (error) {
      // A route's requireFresh refusal or a store outage in login: the same
      // answer as a failed load or commit, and nothing stored.
      return answerFailure(ctx, error);
    }
    try {
      const out = await adapter.finish(session, {
        method: ctx.method,
        status: ctx.status,
        vary: ctx.response.get("vary"),
      });
      const nothing = out.setCookie.length === 0 && Object.keys(out.headers).length === 0;
      if (ctx.headerSent && !nothing) throw headersSent();
      // Each Set-Cookie its own field, after any the app set.
      writeSessionHeaders(ctx.res, out);
    } catch (error) {
      // Our own ERR_KOA_HEADERS_SENT, like any error httpFailure does not map, is rethrown.
      return answerFailure(ctx, error);
    }
  };
  return middleware as unknown as Middleware<DefaultState, SessionContext<Data, Flash>>;
}
