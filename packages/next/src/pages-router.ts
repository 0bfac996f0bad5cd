import type { LoadMeta, Session, SessionData, Sessions } from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { answerFailure, answerInstead, holdHeaders } from "@tessera/session/node";
import type { NextApiRequest, NextApiResponse } from "next";
import { invalidOption } from "./errors.js";

/**
 * A Pages Router API route handler that receives the request's session as a
 * third argument, typed from `createSessions<Data, Flash>()`.
 *
 * @example
 * ```ts
 * const handler: ApiSessionHandler<{ count: number }> = (req, res, session) => {
 *   res.json({ count: session.get("count") ?? 0 });
 * };
 * ```
 */
export type ApiSessionHandler<
  Data extends object = SessionData,
  Flash extends object = SessionData,
  Body = unknown,
> = (req: NextApiRequest, res: NextApiResponse<Body>, session: Session<Data, Flash>) => unknown;

/**
 * Options of {@link withApiSession}.
 *
 * @example
 * ```ts
 * withApiSession(sessions, handler, { meta: (req) => ({ ip: req.socket.remoteAddress }) });
 * ```
 */
export interface ApiSessionOptions {
  /**
   * Request metadata recorded with the session (for "your sessions" pages).
   * Behind a proxy the socket's address is the proxy's: read the client IP
   * from a header your own proxy sets and overwrites, never one a client can choose.
   * @default the `User-Agent` header, no IP (as `createNextSessions`)
   */
  meta?: (req: NextApiRequest) => LoadMeta | undefined;
}

function defaultMeta(req: NextApiRequest): LoadMeta | undefined {
  const userAgent = req.headers["user-agent"];
  return userAgent === undefined ? undefined : { userAgent };
}

/**
 * Wraps a Pages Router API route (`pages/api/*`): loads the session named by
 * the request's `Cookie` header (or its `Authorization` header when the
 * manager has `tokenMode: "authorization"`), passes it to `handler`, and
 * commits it just before the response's headers go out, whichever call
 * produces them (`res.json`, `res.send`, `res.redirect`, `res.end`,
 * `writeHead`, a piped stream). The end-of-request policy is
 * `@tessera/session`'s `respond`: `HEAD`, `OPTIONS` and `304` commit nothing,
 * a response with a cookie gets `Cache-Control: no-store` and `Vary: Cookie`.
 * A store outage answers 503 with `Retry-After` (never a fresh session that
 * would later overwrite real data), a lost write race 409, a step-up
 * refusal 401, none with a cookie (`httpFailure`). A handler that throws
 * before answering commits nothing. Throws `NextSessionError`
 * `ERR_NEXT_INVALID_OPTION` for a bad manager or option.
 *
 * @example
 * ```ts
 * // pages/api/count.ts
 * import { withApiSession } from "@tessera/next/pages";
 * import { sessions } from "@/lib/session";
 *
 * export default withApiSession(sessions, (req, res, session) => {
 *   session.set("count", (session.get("count") ?? 0) + 1);
 *   res.json({ count: session.get("count") });
 * });
 * ```
 */
export function withApiSession<
  Data extends object = SessionData,
  Flash extends object = SessionData,
  Body = unknown,
>(
  sessions: Sessions<Data, Flash>,
  handler: ApiSessionHandler<Data, Flash, Body>,
  options: ApiSessionOptions = {},
): (req: NextApiRequest, res: NextApiResponse<Body>) => Promise<void> {
  const adapter = new SessionAdapter(sessions, options, { defaultMeta, invalid: invalidOption });
  if (typeof handler !== "function") {
    invalidOption("handler is invalid: expected a function (req, res, session)");
  }

  return async (req, res) => {
    let session: Session<Data, Flash>;
    try {
      session = await adapter.load(req.headers[adapter.tokenHeader], req);
    } catch (error) {
      return answerFailure(res, error);
    }
    const method = req.method ?? "GET";
    // A commit error no HTTP status describes, for Next.js to answer (500).
    let unanswered: { error: unknown } | undefined;
    let waiting = true;
    // One response's commit: the first call that would produce the headers
    // starts it, and the calls are replayed once the cookies are on the
    // response, so an async store write finishes before a synchronous
    // `res.json()` sends anything. Hooked on this one `res` (Next.js already
    // wraps `write` and `end` per response); no prototype changes.
    const hold = holdHeaders(res, {
      method,
      commit: (status, vary) => adapter.finish(session, { method, status, vary }),
      async onError(error) {
        // The handler already returned, so Next.js can no longer answer it.
        if (!waiting) return answerInstead(res, error);
        try {
          await answerFailure(res, error);
        } catch {
          // Next.js answers it (500) once the wrapper rethrows; the dropped
          // body's headers would describe a response that is not sent.
          if (!res.headersSent) for (const name of res.getHeaderNames()) res.removeHeader(name);
          unanswered = { error };
        }
      },
    });
    try {
      await handler(req, res, session);
    } catch (error) {
      // Its response had started: that commit ends, then Next.js answers the
      // error. Otherwise nothing of the handler is committed.
      await hold.handlerThrew(error);
      return answerFailure(res, error);
    }
    await hold.settled;
    waiting = false;
    if (unanswered !== undefined) throw unanswered.error;
  };
}
