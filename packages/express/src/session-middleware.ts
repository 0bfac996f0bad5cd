import type { IncomingMessage, ServerResponse } from "node:http";
import {
  commitsOn,
  type LoadMeta,
  type ResponseFacts,
  responseHeaders,
  type Session,
  type SessionData,
  type SessionResponse,
  type Sessions,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { type HeadersHook, holdHeaders } from "@tessera/session/node";
import { ExpressSessionError, invalidOption } from "./errors.js";
import { createMigration, type Migrated } from "./lib/migrate.js";
import { toNextError } from "./lib/outage.js";
import type { SessionMiddlewareOptions } from "./options.js";
import type { MatchesRegister } from "./types.js";

/**
 * An Express/Connect middleware function. Typed on Node's own request and
 * response, so it fits Express 4, Express 5 and Connect alike.
 */
export type SessionMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** Express gives each response a hidden class of its own: hooking its prototype once is the cheap hold. */
const HOLD = { prototype: true } as const;

/** The manager that loaded `req.session`, for {@link sessionOf}; off the public request type. */
const LOADED_BY = Symbol("@tessera/express.loadedBy");

interface NodeRequest extends IncomingMessage {
  ip?: string;
  session?: unknown;
  [LOADED_BY]?: unknown;
}

function defaultMeta(req: NodeRequest): LoadMeta {
  // Express's req.ip honours the app's "trust proxy" setting; Connect has only the socket.
  // Built directly (no spreads): this runs on every request.
  const meta: LoadMeta = {};
  const userAgent = req.headers["user-agent"];
  if (userAgent !== undefined) meta.userAgent = userAgent;
  const ip = req.ip ?? req.socket?.remoteAddress;
  if (ip !== undefined) meta.ip = ip;
  return meta;
}

/**
 * One request's commit: the object the response hold calls back into, with
 * methods on its prototype rather than closures made per request.
 */
class RequestCommit<Data extends SessionData, Flash extends SessionData> implements HeadersHook {
  constructor(
    readonly adapter: SessionAdapter<Data, Flash, NodeRequest>,
    readonly session: Session<Data, Flash>,
    readonly method: string,
    readonly migrated: Migrated | null,
    readonly next: (error?: unknown) => void,
  ) {}

  commit(status: number, vary: ResponseFacts["vary"]): Promise<SessionResponse> {
    if (this.migrated === null) {
      return this.adapter.finish(this.session, { method: this.method, status, vary });
    }
    return this.finishMigration(this.migrated, vary);
  }

  /**
   * The migrated session is committed first and the old one destroyed only
   * then, so a failed commit leaves the user's old session usable; the old
   * cookie's clearing goes out with the same headers as the new cookie.
   */
  async finishMigration(migrated: Migrated, vary: ResponseFacts["vary"]): Promise<SessionResponse> {
    const result = await this.adapter.sessions.commitHeaders(this.session);
    await migrated.finish();
    return responseHeaders({ ...result, setCookie: [...result.setCookie, migrated.clear] }, vary);
  }

  onError(error: unknown): void {
    this.next(toNextError(error));
  }
}

/**
 * The request's session with the manager's own data and flash types, for
 * routes when `Register` is not augmented (Express types a route's `req`
 * only through global declarations). Throws `ExpressSessionError`
 * `ERR_EXPRESS_NO_SESSION` unless `sessionMiddleware` loaded it with this
 * same manager, so the types it returns are never a guess.
 *
 * @example
 * ```ts
 * app.get("/", (req, res) => {
 *   const session = sessionOf(req, sessions); // Session<{ visits: number }>
 *   session.set("visits", (session.get("visits") ?? 0) + 1);
 *   res.send(`visit #${session.get("visits")}`);
 * });
 * ```
 */
export function sessionOf<Data extends SessionData, Flash extends SessionData>(
  req: IncomingMessage,
  sessions: Sessions<Data, Flash>,
): Session<Data, Flash> {
  const r = req as NodeRequest;
  if (r === null || typeof r !== "object" || r[LOADED_BY] !== sessions) {
    throw new ExpressSessionError(
      "ERR_EXPRESS_NO_SESSION",
      "no session of this manager on this request: mount sessionMiddleware(sessions) with the same manager before this route",
    );
  }
  return r.session as Session<Data, Flash>;
}

/**
 * Express 4/5 and Connect middleware: loads the session named by the request's
 * cookie onto `req.session`, and commits it just before the response's headers
 * go out, whatever produces them (`res.send`, `res.json`, `res.redirect`,
 * `res.end`, a piped stream, an explicit `writeHead`). What to send is
 * `@tessera/session`'s `respond`, as in every adapter: each `Set-Cookie` its
 * own header field after any the app set, with `Cache-Control: no-store` and
 * `Vary: Cookie`, and nothing committed on `HEAD`, `OPTIONS` and `304`. A store
 * outage reaches `next(err)` as an `ExpressSessionError` with `status` 503
 * (never a fresh session that would later overwrite real data). Changing the
 * session once its commit began throws `SessionError` `ERR_SESSION_COMMITTED`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { sessionMiddleware } from "@tessera/express";
 *
 * const app = express();
 * app.use(sessionMiddleware(sessions));
 * app.get("/", (req, res) => {
 *   req.session.set("visits", (req.session.get("visits") ?? 0) + 1);
 *   res.send(`visit #${req.session.get("visits")}`);
 * });
 * ```
 */
export function sessionMiddleware<Data extends SessionData, Flash extends SessionData>(
  sessions: Sessions<Data, Flash> & NoInfer<MatchesRegister<Data, Flash>>,
  options: SessionMiddlewareOptions<NoInfer<Data>> = {},
): SessionMiddleware {
  const adapter = new SessionAdapter(sessions, options, {
    defaultMeta,
    invalid: invalidOption,
  });
  const migration =
    options.migrateFromExpressSession === undefined
      ? undefined
      : createMigration<Data>(options.migrateFromExpressSession);

  function attach(
    req: NodeRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
    session: Session<Data, Flash>,
    migrated: Migrated | null,
  ): void {
    // The manager's own session: it refuses changes itself once its commit
    // began, since such a change could reach neither the store nor the cookie.
    req.session = session;
    req[LOADED_BY] = sessions;
    holdHeaders(
      res,
      new RequestCommit(adapter, session, req.method ?? "GET", migrated, next),
      HOLD,
    );
    next();
  }

  // Bearer mode never migrates: the migration's whole point is a cookie.
  const migrate = adapter.tokenHeader === "authorization" ? undefined : migration;

  async function run(
    req: NodeRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
    header: string | undefined,
  ): Promise<void> {
    let session: Session<Data, Flash>;
    let migrated: Migrated | null = null;
    try {
      session = await adapter.load(header, req);
      // Nothing a response may not commit is worth reading the old store for.
      if (
        migrate !== undefined &&
        session.isNew &&
        header !== undefined &&
        commitsOn(req.method ?? "GET", 200)
      ) {
        migrated = await migrate.run(header, session as unknown as Session<Data, SessionData>);
      }
    } catch (error) {
      next(toNextError(error));
      return;
    }
    // Outside the try: an error thrown by a later middleware must not be taken for ours.
    attach(req, res, next, session, migrated);
  }

  // One async call per request, no per-request closures.
  return function tesseraSession(req, res, next) {
    void run(req as NodeRequest, res, next, req.headers[adapter.tokenHeader]);
  };
}
