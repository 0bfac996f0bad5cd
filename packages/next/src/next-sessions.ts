import {
  applyCookies,
  failureResponseFor,
  type LoadMeta,
  type Session,
  type SessionData,
  type SessionHandler,
  type Sessions,
  withSessions,
} from "@tessera/session";
import { SessionAdapter } from "@tessera/session/adapter";
import { NextResponse } from "next/server.js";
import { invalidOption } from "./errors.js";
import {
  type CookieJar,
  cookieHeaderAfter,
  currentCookieHeader,
  setThroughJar,
} from "./lib/cookie-header.js";

/**
 * The part of a `Headers` object the adapter reads (Next.js's `headers()`
 * gives a read-only one).
 *
 * @example
 * ```ts
 * const meta = (headers: HeaderReader) => ({ userAgent: headers.get("user-agent") ?? undefined });
 * ```
 */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Options of {@link createNextSessions}.
 *
 * @example
 * ```ts
 * createNextSessions(sessions, { meta: (headers) => ({ ip: headers.get("x-real-ip") ?? undefined }) });
 * ```
 */
export interface NextSessionsOptions {
  /**
   * Request metadata recorded with the session (for "your sessions" pages).
   * Next.js gives Server Components, Server Actions and middleware no client
   * socket, so the IP must come from a header your own proxy sets (and
   * overwrites, so a client cannot choose it).
   * @default the `User-Agent` header, no IP
   */
  meta?: (headers: HeaderReader) => LoadMeta | undefined;
}

/**
 * The session as a Server Component sees it: every read, no change. Next.js
 * cannot send a cookie while it renders a Server Component, so a change made
 * there would be lost; the type leaves the mutators out instead.
 *
 * @example
 * ```ts
 * const session: ReadonlySession<{ visits: number }> = await getSession();
 * session.get("visits");
 * ```
 */
export type ReadonlySession<
  Data extends object = SessionData,
  Flash extends object = SessionData,
> = Pick<
  Session<Data, Flash>,
  | "id"
  | "isNew"
  | "rejected"
  | "userId"
  | "authTime"
  | "createdAt"
  | "lastSeenAt"
  | "persistent"
  | "isDestroyed"
  | "get"
  | "has"
  | "toJSON"
  | "isFresh"
> & {
  /**
   * The CSRF token of a stored session, for a form that posts to a Route
   * Handler (Server Actions have Next.js's own Origin check). Undefined for a
   * session not stored yet: a token for it could never be verified, since
   * nothing here stores the session.
   */
  csrfToken(): Promise<string | undefined>;
};

/**
 * The session functions for one manager, bound to Next.js's request scope.
 * Create it once in a server-only module and import the functions where needed.
 *
 * @example
 * ```ts
 * export const { getSession, withSession, route, proxy } = createNextSessions(sessions);
 * ```
 */
export interface NextSessions<
  Data extends object = SessionData,
  Flash extends object = SessionData,
> {
  /** The manager these functions use (for `listUserSessions`, `revokeUser`, ...). */
  readonly sessions: Sessions<Data, Flash>;
  /**
   * Server Components: the request's session, read-only, loaded once per
   * request (React `cache`). Never writes and never throws on a bad cookie:
   * a tampered, expired or duplicated cookie gives an anonymous session whose
   * `rejected` says why. Only a store outage throws (Next.js shows the error
   * boundary). After a Server Action changed the session, the render that
   * follows in the same request sees the change.
   */
  getSession(): Promise<ReadonlySession<Data, Flash>>;
  /**
   * Server Actions and Route Handlers: loads the session, runs `action`,
   * then commits and sends the cookies through `cookies()`. `login`
   * regenerates the id; `logout` revokes the session in the store and clears
   * every cookie (chunks included). A `redirect()` or `notFound()` thrown by
   * `action` commits first, so a logout followed by a redirect sticks; any
   * other error commits nothing and is rethrown.
   */
  withSession<T>(action: (session: Session<Data, Flash>) => T | Promise<T>): Promise<T>;
  /**
   * Route Handlers: `@tessera/session`'s `withSessions` with this adapter's
   * `meta`: the handler gets the request and its session, the cookies go on
   * its `Response`, and a store outage, a lost write race or a step-up
   * refusal answer 503, 409 or 401.
   */
  route<Extra extends unknown[] = []>(
    handler: SessionHandler<Data, Flash, Extra>,
  ): (request: Request, ...extra: Extra) => Promise<Response>;
  /**
   * Middleware (`proxy.ts` in Next.js 16): renews the session (sliding
   * expiry, `renewAfter`, re-sealed stateless cookies) and forwards the new
   * cookie in the request headers, so the Server Components of this same
   * request read the renewed session. `decide` may answer instead (a
   * redirect to sign in); the cookies then go on its response.
   */
  proxy(
    request: Request,
    decide?: (
      session: ReadonlySession<Data, Flash>,
    ) => Response | undefined | Promise<Response | undefined>,
  ): Promise<Response>;
}

/** What the adapter takes from Next.js and React; injected so tests can supply their own. */
export interface RequestScope {
  headers(): Promise<HeaderReader>;
  cookies(): Promise<CookieJar>;
  cache<F extends (...args: never[]) => unknown>(fn: F): F;
}

function defaultMeta(headers: HeaderReader): LoadMeta | undefined {
  const userAgent = headers.get("user-agent");
  return userAgent === null ? undefined : { userAgent };
}

/**
 * `redirect()`, `notFound()`, `forbidden()` and `unauthorized()` end an
 * action by throwing an error whose `digest` names it; the action still
 * succeeded, so its session changes must be sent.
 */
function isNavigation(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"))
  );
}

/** The session's read-only properties, which the view reads through live. */
const LIVE = [
  "id",
  "isNew",
  "rejected",
  "userId",
  "authTime",
  "createdAt",
  "lastSeenAt",
  "persistent",
  "isDestroyed",
] as const;

function readonlyView<Data extends object, Flash extends object>(
  session: Session<Data, Flash>,
): ReadonlySession<Data, Flash> {
  const view = {
    get: (key) => session.get(key),
    has: (key) => session.has(key),
    toJSON: () => session.toJSON(),
    isFresh: (maxAge) => session.isFresh(maxAge),
    csrfToken: async () =>
      session.isNew || session.isDestroyed ? undefined : await session.csrfToken(),
  } as ReadonlySession<Data, Flash>;
  // Getters, not copies: after a Server Action changed the session, the
  // render that follows in the same request sees the change.
  for (const name of LIVE) {
    Object.defineProperty(view, name, { get: () => session[name], enumerable: true });
  }
  return view;
}

/**
 * {@link createNextSessions} with Next.js's request scope given explicitly;
 * the package entry passes `next/headers` and React's `cache`.
 */
export function bindNextSessions<Data extends object, Flash extends object>(
  sessions: Sessions<Data, Flash>,
  options: NextSessionsOptions,
  scope: RequestScope,
): NextSessions<Data, Flash> {
  const adapter = new SessionAdapter(sessions, options, {
    defaultMeta,
    invalid: invalidOption,
    cookieOnly: "Server Components and Server Actions can only carry a session in a cookie",
  });

  async function loadFromScope(): Promise<{ session: Session<Data, Flash>; jar: CookieJar }> {
    const [headers, jar] = await Promise.all([scope.headers(), scope.cookies()]);
    const header = currentCookieHeader(
      headers.get("cookie") ?? "",
      jar.getAll(),
      sessions.cookieName,
    );
    return { session: await adapter.load(header, headers), jar };
  }

  async function commitToJar(session: Session<Data, Flash>, jar: CookieJar): Promise<void> {
    const { setCookie } = await sessions.commitHeaders(session);
    setThroughJar(jar, setCookie);
  }

  const getSession = scope.cache(async (): Promise<ReadonlySession<Data, Flash>> => {
    const { session } = await loadFromScope();
    return readonlyView(session);
  });

  return {
    sessions,
    getSession,

    async withSession(action) {
      const { session, jar } = await loadFromScope();
      let result: Awaited<ReturnType<typeof action>>;
      try {
        result = await action(session);
      } catch (error) {
        if (isNavigation(error)) await commitToJar(session, jar);
        throw error;
      }
      await commitToJar(session, jar);
      return result;
    },

    route(handler) {
      return withSessions(sessions, handler, { meta: (request) => adapter.meta(request.headers) });
    },

    async proxy(request, decide) {
      try {
        const session = await adapter.load(request, request.headers);
        const answer = await decide?.(readonlyView(session));
        if (answer !== undefined) return await adapter.send(session, request.method, answer);
        // NextResponse.next() passes the request on to the page: a 200 as far as the policy goes.
        const { setCookie, headers } = await adapter.finish(session, {
          method: request.method,
          status: 200,
        });
        if (setCookie.length === 0) return applyCookies(NextResponse.next(), setCookie, headers);
        // Next.js renders this request's Server Components with these headers
        // (`NextResponse.next({ request })`); without them they would still
        // read the cookie the browser sent, not the one renewed here.
        const forwarded = new Headers(request.headers);
        const cookie = cookieHeaderAfter(request.headers.get("cookie") ?? "", setCookie);
        if (cookie === "") forwarded.delete("cookie");
        else forwarded.set("cookie", cookie);
        return applyCookies(
          NextResponse.next({ request: { headers: forwarded } }),
          setCookie,
          headers,
        );
      } catch (error) {
        return failureResponseFor(error);
      }
    },
  };
}
