import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import {
  commitsOn,
  failureResponse,
  type HttpFailure,
  httpFailure,
  isSessions,
  type LoadMeta,
  type ResponseFacts,
  respond,
  type Session,
  type SessionData,
  type SessionResponse,
  type Sessions,
} from "@tessera/session";
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

type Method = "writeHead" | "write" | "end" | "flushHeaders";
type Call = [Method, unknown[]];
type AnyFn = (...args: unknown[]) => unknown;

const METHODS: readonly Method[] = ["writeHead", "write", "end", "flushHeaders"];

const INTERNAL_ERROR = () =>
  new Response("Internal Server Error", {
    status: 500,
    headers: { "cache-control": "no-store", "content-type": "text/plain" },
  });

/** The headers object of `writeHead(status, [message], [headers])`; a raw array is left to Node. */
function inlineHeaders(call: Call): OutgoingHttpHeaders | undefined {
  if (call[0] !== "writeHead") return undefined;
  const args = call[1];
  const candidate = typeof args[1] === "string" ? args[2] : args[1];
  return typeof candidate === "object" && candidate !== null && !Array.isArray(candidate)
    ? (candidate as OutgoingHttpHeaders)
    : undefined;
}

/** The key `name` has in `headers`, any case. */
function keyOf(headers: OutgoingHttpHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  return Object.keys(headers).find((key) => key.toLowerCase() === name);
}

function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/**
 * Writes a commit's headers. Node applies a headers object passed to
 * `writeHead` after the ones set with `setHeader`, replacing same-named ones,
 * so a name found there is changed there. Each `Set-Cookie` stays its own
 * field, after the app's own (never joined with ", ", which corrupts
 * `Expires` dates, RFC 9110 §5.3).
 */
function writeSessionHeaders(res: ServerResponse, first: Call, out: SessionResponse): void {
  const inline = inlineHeaders(first);
  for (const [name, value] of Object.entries(out.headers)) {
    const key = keyOf(inline, name);
    if (inline !== undefined && key !== undefined) inline[key] = value;
    else res.setHeader(name, value);
  }
  if (out.setCookie.length === 0) return;
  const key = keyOf(inline, "set-cookie");
  if (inline !== undefined && key !== undefined) {
    inline[key] = [...asList(inline[key]), ...out.setCookie];
  } else {
    res.setHeader("set-cookie", [...asList(res.getHeader("set-cookie")), ...out.setCookie]);
  }
}

/**
 * Sends `answer` in place of the handler's response: the failures the core
 * maps (503 with `Retry-After`, 409, 401) as every adapter sends them, or a
 * 500. What the handler had set (`Content-Length`, `ETag`, its cookies)
 * described the response that is not sent, so it goes.
 */
async function sendInstead(
  res: ServerResponse,
  originals: Record<Method, AnyFn>,
  answer: Response,
): Promise<void> {
  const body = await answer.text();
  if (res.headersSent) return;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  originals.end.call(res, body);
}

function dropHeaders(res: ServerResponse): void {
  if (!res.headersSent) for (const name of res.getHeaderNames()) res.removeHeader(name);
}

/**
 * One response's commit. The first call that would produce the headers
 * starts the commit; it and every later call are queued and replayed once
 * the cookies are on the response, so an async store write finishes before
 * a synchronous `res.json()` sends anything. Hooks live on this one `res`
 * (Next.js already wraps `write` and `end` per response); no prototype changes.
 */
class ResponseCommit<Data extends object, Flash extends object> {
  private state: "open" | "held" | "done" = "open";
  private queue: Call[] = [];
  private readonly originals: Record<Method, AnyFn>;
  /** Settles when the held calls were replayed or the failure answered. */
  private replayed: Promise<void> = Promise.resolve();
  /** A commit error no HTTP status describes; the wrapper rethrows it to Next.js. */
  private error: { value: unknown } | undefined;
  /** Whether the wrapper is still waiting (else a late error is answered here). */
  private waited = true;

  constructor(
    private readonly res: ServerResponse,
    private readonly sessions: Sessions<Data, Flash>,
    private readonly session: Session<Data, Flash>,
    private readonly method: string,
  ) {
    const hooked = res as unknown as Record<Method, AnyFn>;
    this.originals = {
      writeHead: hooked.writeHead,
      write: hooked.write,
      end: hooked.end,
      flushHeaders: hooked.flushHeaders,
    };
    for (const name of METHODS) {
      hooked[name] = (...args: unknown[]) => this.intercept(name, args);
    }
  }

  private intercept(method: Method, args: unknown[]): unknown {
    const res = this.res;
    if (this.state === "done") return this.originals[method].apply(res, args);
    if (this.state === "open") {
      const call: Call = [method, args];
      const status =
        method === "writeHead" && typeof args[0] === "number" ? args[0] : res.statusCode;
      if (!commitsOn(this.method, status)) {
        this.state = "done";
        return this.originals[method].apply(res, args);
      }
      const inline = inlineHeaders(call);
      const varyKey = keyOf(inline, "vary");
      const vary = (
        inline !== undefined && varyKey !== undefined ? inline[varyKey] : res.getHeader("vary")
      ) as ResponseFacts["vary"];
      this.state = "held";
      // Started now, before any await: the session refuses changes from here on.
      const pending = respond(this.sessions, this.session, { method: this.method, status, vary });
      this.replayed = this.replay(pending);
    }
    this.queue.push([method, args]);
    return method === "write" ? true : method === "flushHeaders" ? undefined : res;
  }

  private async replay(pending: Promise<SessionResponse>): Promise<void> {
    let out: SessionResponse;
    try {
      out = await pending;
    } catch (error) {
      this.state = "done";
      this.queue = [];
      const failure = httpFailure(error);
      if (failure !== undefined) {
        return sendInstead(this.res, this.originals, failureResponse(failure));
      }
      if (this.waited) {
        // Next.js answers it (500) once the wrapper rethrows; the dropped
        // body's Content-Length would leave the client waiting.
        dropHeaders(this.res);
        this.error = { value: error };
        return;
      }
      // The handler already returned, so Next.js can no longer answer it.
      return sendInstead(this.res, this.originals, INTERNAL_ERROR());
    }
    this.state = "done";
    const calls = this.queue;
    this.queue = [];
    if (!this.res.headersSent) writeSessionHeaders(this.res, calls[0]!, out);
    for (const [m, a] of calls) this.originals[m].apply(this.res, a);
  }

  /** The handler threw: nothing it changed is committed, unless its response already started. */
  abandon(): boolean {
    if (this.state !== "open") return false;
    this.state = "done";
    return true;
  }

  /** Waits for a commit the handler's response started; rethrows an error Next.js should answer. */
  async settle(): Promise<void> {
    await this.replayed;
    this.waited = false;
    const error = this.error;
    this.error = undefined;
    if (error !== undefined) throw error.value;
  }

  /** Answers a mapped failure thrown by the handler before its response started. */
  fail(failure: HttpFailure): Promise<void> {
    return sendInstead(this.res, this.originals, failureResponse(failure));
  }
}

/** Programmer misuse at startup: a typed error naming the argument. */
function defaultMeta(req: NextApiRequest): LoadMeta | undefined {
  const userAgent = req.headers["user-agent"];
  return userAgent === undefined ? undefined : { userAgent };
}

async function answerLoadFailure(res: ServerResponse, error: unknown): Promise<void> {
  const failure = httpFailure(error);
  if (failure === undefined) throw error;
  await sendInstead(res, res as unknown as Record<Method, AnyFn>, failureResponse(failure));
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
  if (!isSessions(sessions)) {
    invalidOption("sessions is invalid: expected the manager returned by createSessions()");
  }
  if (typeof handler !== "function") {
    invalidOption("handler is invalid: expected a function (req, res, session)");
  }
  if (typeof options !== "object" || options === null) {
    invalidOption("options is invalid: expected an object");
  }
  const meta = options.meta ?? defaultMeta;
  if (typeof meta !== "function") invalidOption("option meta is invalid: expected a function");
  const bearer = sessions.tokenMode === "authorization";

  return async (req, res) => {
    let session: Session<Data, Flash>;
    try {
      const header = bearer ? req.headers.authorization : req.headers.cookie;
      session = await sessions.load(header, meta(req));
    } catch (error) {
      return answerLoadFailure(res, error);
    }
    const commit = new ResponseCommit(res, sessions, session, req.method ?? "GET");
    try {
      await handler(req, res, session);
    } catch (error) {
      if (!commit.abandon()) {
        // Its response had started: let that commit end, then Next.js answers the error.
        await commit.settle().catch(() => undefined);
        throw error;
      }
      const failure = httpFailure(error);
      if (failure === undefined) throw error;
      return commit.fail(failure);
    }
    await commit.settle();
  };
}
