import type { LoadMeta, Session, SessionData, SessionResponse, Sessions } from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { FastifySessionError, invalidOption } from "./errors.js";
import { toReplyError } from "./lib/outage.js";
import type { RegisteredData, RegisteredFlash, RegisteredSessions } from "./types.js";

/**
 * Options of {@link fastifySessions}.
 *
 * @example
 * ```ts
 * await app.register(fastifySessions, { sessions, meta: (request) => ({ ip: request.ip }) });
 * ```
 */
export interface FastifySessionsOptions<
  Data extends SessionData = SessionData,
  Flash extends SessionData = SessionData,
> {
  /** The manager returned by `createSessions()`. */
  sessions: Sessions<Data, Flash>;
  /**
   * Request metadata recorded with the session (for "active sessions" pages).
   * @default user agent from the `User-Agent` header, IP from `request.ip` (honours `trustProxy`)
   */
  meta?: (request: FastifyRequest) => LoadMeta | undefined;
}

/** Per-request state, kept off the public request type. */
const STATE = Symbol("@tessera/fastify.state");
interface State {
  session: Session<SessionData, SessionData>;
  /** The manager that loaded `session`, for {@link sessionOf}. */
  sessions: Sessions<SessionData, SessionData>;
  /** The commit ran (or was skipped): onSend runs again for a failed commit's error response. */
  done: boolean;
}
type WithState = FastifyRequest & { [STATE]?: State };

function defaultMeta(request: FastifyRequest): LoadMeta {
  const userAgent = request.headers["user-agent"];
  return { ...(userAgent === undefined ? {} : { userAgent }), ip: request.ip };
}

async function plugin(
  fastify: FastifyInstance,
  options: FastifySessionsOptions<SessionData, SessionData>,
): Promise<void> {
  const adapter = new SessionAdapter(options?.sessions, options, {
    defaultMeta,
    invalid: invalidOption,
    sessionsName: "option sessions",
  });
  const sessions = adapter.sessions;

  fastify.decorateRequest("session", null as unknown as FastifyRequest["session"]);

  fastify.addHook("onRequest", async (request) => {
    let session: Session<SessionData, SessionData>;
    try {
      session = await adapter.load(request.headers[adapter.tokenHeader], request);
    } catch (error) {
      throw toReplyError(error);
    }
    (request as WithState)[STATE] = { session, sessions, done: false };
    // The manager's own session: it refuses changes itself once its commit
    // began, since such a change could reach neither the store nor the cookie.
    // The registered data type is a promise the app makes about its own data.
    request.session = session as FastifyRequest["session"];
  });

  fastify.addHook("onSend", async (request, reply, payload) => {
    const state = (request as WithState)[STATE];
    // onSend runs again for the error response of a failed commit: commit once.
    if (state === undefined || state.done) return payload;
    state.done = true;
    let out: SessionResponse;
    try {
      out = await adapter.finish(state.session, {
        method: request.method,
        status: reply.statusCode,
        vary: reply.getHeader("vary"),
      });
    } catch (error) {
      throw toReplyError(error);
    }
    for (const name of Object.keys(out.headers)) reply.header(name, out.headers[name]);
    // Fastify keeps repeated set-cookie values as separate fields, never
    // joined with ", " (which corrupts Expires dates, RFC 9110 §5.3).
    for (const value of out.setCookie) reply.header("set-cookie", value);
    return payload;
  });
}

// fastify-plugin's contract without the dependency: the hooks and the
// decoration apply to the parent scope, not a child context.
Object.assign(plugin, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "@tessera/fastify",
  [Symbol.for("plugin-meta")]: { name: "@tessera/fastify", fastify: "5.x" },
});

/**
 * The request's session with the manager's own data and flash types, for
 * routes when `Register` is not augmented (Fastify types `request` only
 * through declaration merging). Throws `FastifySessionError`
 * `ERR_FASTIFY_NO_SESSION` unless `fastifySessions` loaded it with
 * this same manager, so the types it returns are never a guess.
 *
 * @example
 * ```ts
 * app.get("/", async (request) => {
 *   const session = sessionOf(request, sessions); // Session<{ visits: number }>
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   return { visits: session.get("visits") };
 * });
 * ```
 */
export function sessionOf<Data extends SessionData, Flash extends SessionData>(
  request: FastifyRequest,
  sessions: Sessions<Data, Flash>,
): Session<Data, Flash> {
  const state =
    typeof request === "object" && request !== null ? (request as WithState)[STATE] : undefined;
  if (state === undefined || (state.sessions as unknown) !== sessions) {
    throw new FastifySessionError(
      "ERR_FASTIFY_NO_SESSION",
      "no session of this manager on this request: register fastifySessions with the same manager before this route",
    );
  }
  return state.session as unknown as Session<Data, Flash>;
}

/**
 * The options `fastifySessions` takes: {@link FastifySessionsOptions} whose
 * `sessions` is checked against {@link Register} (see
 * {@link RegisteredSessions}).
 *
 * @example
 * ```ts
 * const options: FastifySessionsPluginOptions = { sessions };
 * await app.register(fastifySessions, options);
 * ```
 */
export type FastifySessionsPluginOptions = FastifySessionsOptions<
  RegisteredData,
  RegisteredFlash
> & { sessions: RegisteredSessions };

/**
 * Fastify 5 plugin: loads the session in `onRequest` onto `request.session`
 * and commits it in `onSend`, before the headers go out. What to send is
 * `@tessera/session`'s `respond`, as in every adapter: each `Set-Cookie` its
 * own field, with `Cache-Control: no-store` and `Vary: Cookie`, and nothing
 * committed on `HEAD`, `OPTIONS` and `304`. A store outage becomes a
 * `FastifySessionError` with `statusCode` 503 for the error handler. Registered like a
 * `fastify-plugin` plugin: it applies to the scope it is registered in.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { fastifySessions } from "@tessera/fastify";
 *
 * declare module "@tessera/fastify" {
 *   interface Register { sessions: typeof sessions } // types request.session from the manager
 * }
 * const app = Fastify();
 * await app.register(fastifySessions, { sessions });
 * app.get("/", async (request) => {
 *   request.session.set("visits", (request.session.get("visits") ?? 0) + 1);
 *   return { visits: request.session.get("visits") };
 * });
 * ```
 */
export const fastifySessions: FastifyPluginAsync<FastifySessionsPluginOptions> = plugin;
