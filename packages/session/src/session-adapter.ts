import { isSessions } from "./adapter-kit.js";
import type { LoadMeta, SessionSource, Sessions } from "./create-sessions.js";
import { type ResponseFacts, respond, type SessionResponse } from "./respond.js";
import { failureResponseFor, sendWithSession } from "./send-with-session.js";
import type { Session } from "./session.js";

/**
 * The options every adapter takes: how to read the request metadata a
 * session records (for "active sessions" pages) from the adapter's own
 * request object (`Input`: a Node request, a Koa context, an h3 event...).
 *
 * @example
 * ```ts
 * const options: AdapterOptions<Request> = { meta: (request) => ({ ip: request.headers.get("x-real-ip") ?? undefined }) };
 * ```
 */
export interface AdapterOptions<Input> {
  /** Request metadata for `load`; the adapter's default when absent. */
  meta?: ((input: Input) => LoadMeta | undefined) | undefined;
}

/**
 * What an adapter tells {@link SessionAdapter} once, at startup.
 *
 * @example
 * ```ts
 * const setup: AdapterSetup<Request> = {
 *   defaultMeta: (request) => ({ userAgent: request.headers.get("user-agent") ?? undefined }),
 *   invalid: (message) => new MyAdapterError("ERR_MY_ADAPTER_INVALID_OPTION", message),
 * };
 * ```
 */
export interface AdapterSetup<Input> {
  /** The metadata read when the app's options give no `meta`. */
  defaultMeta: (input: Input) => LoadMeta | undefined;
  /** The adapter's own typed error (`ERR_<ADAPTER>_INVALID_OPTION`) for a message naming the bad value; returned or thrown. */
  invalid: (message: string) => Error;
  /** What the manager is called in messages: `"option sessions"` where it comes in the options. @default "sessions" */
  sessionsName?: string;
  /**
   * Set when the adapter can only carry a session in a cookie: why, for the
   * message that refuses a manager in `tokenMode: "authorization"`.
   */
  cookieOnly?: string;
}

/**
 * The glue every adapter needs around a manager, written once: the startup
 * checks (a manager from `createSessions()`, an options object, a `meta`
 * function, each refused with the adapter's own typed error), which header
 * carries the token, loading a request's session with its metadata, and the
 * end-of-request policy of {@link respond} with failures answered as
 * {@link httpFailure} says. An adapter keeps only what its framework needs:
 * where the session goes on the request and how headers are written.
 *
 * @example
 * ```ts
 * const adapter = new SessionAdapter(sessions, options, {
 *   defaultMeta: (request: Request) => ({ userAgent: request.headers.get("user-agent") ?? undefined }),
 *   invalid: (message) => new MyAdapterError("ERR_MY_ADAPTER_INVALID_OPTION", message),
 * });
 * const handle = async (request: Request) => {
 *   const session = await adapter.loadOrFail(request.headers.get(adapter.tokenHeader), request);
 *   if (session instanceof Response) return session; // 503 on a store outage
 *   return adapter.send(session, request.method, await app(request, session));
 * };
 * ```
 */
export class SessionAdapter<Data extends object, Flash extends object, Input> {
  /** The manager, checked. */
  readonly sessions: Sessions<Data, Flash>;
  /**
   * The request header that carries the token. Bearer mode reads only the
   * `Authorization` header: a token in a cookie would be sent by the browser
   * on its own, so CSRF would be back.
   */
  readonly tokenHeader: "authorization" | "cookie";
  /** The metadata reader: the app's `meta` option, else the adapter's default. */
  readonly meta: (input: Input) => LoadMeta | undefined;

  /** Throws `setup.invalid(message)` for a bad manager or option (programmer misuse, at startup). */
  constructor(
    sessions: Sessions<Data, Flash>,
    options: AdapterOptions<Input> | undefined,
    setup: AdapterSetup<Input>,
  ) {
    if (!isSessions(sessions)) {
      throw setup.invalid(
        `${setup.sessionsName ?? "sessions"} is invalid: expected the manager returned by createSessions()`,
      );
    }
    if (setup.cookieOnly !== undefined && sessions.tokenMode !== "cookie") {
      throw setup.invalid(
        `sessions is invalid: tokenMode "${String(sessions.tokenMode)}" (expected "cookie": ${setup.cookieOnly})`,
      );
    }
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw setup.invalid("options is invalid: expected an object");
    }
    const meta = options?.meta ?? setup.defaultMeta;
    if (typeof meta !== "function") {
      throw setup.invalid("option meta is invalid: expected a function");
    }
    this.sessions = sessions;
    this.tokenHeader = sessions.tokenMode === "authorization" ? "authorization" : "cookie";
    this.meta = meta;
  }

  /**
   * The session `token` names (the {@link tokenHeader}'s value, or a whole
   * `Request`), with `input`'s metadata. Rejects as `sessions.load` does
   * (a store outage); pass the error to {@link httpFailure}.
   */
  load(token: SessionSource, input: Input): Promise<Session<Data, Flash>> {
    return this.sessions.load(token, this.meta(input));
  }

  /**
   * Fetch adapters: {@link load}, with a failure the request cannot fix (a
   * store outage) resolved to its Response (see {@link failureResponseFor})
   * instead of a fresh session that would later overwrite real data.
   */
  async loadOrFail(token: SessionSource, input: Input): Promise<Session<Data, Flash> | Response> {
    try {
      return await this.load(token, input);
    } catch (error) {
      return failureResponseFor(error);
    }
  }

  /** The end of a request: {@link respond} for this manager. */
  finish(session: Session<Data, Flash>, facts: ResponseFacts): Promise<SessionResponse> {
    return respond(this.sessions, session, facts);
  }

  /** Fetch adapters: see {@link sendWithSession}. */
  send(session: Session<Data, Flash>, method: string, response: Response): Promise<Response> {
    return sendWithSession(this.sessions, session, method, response);
  }
}
