import { type Session, SessionError, type Sessions } from "@tessera/session";

/** The session data of the scenario app: string values under any key. */
export type Data = Record<string, string>;
export type AppSessions = Sessions<Data, Data>;
export type AppSession = Session<Data, Data>;

/** What a route answers; each adapter turns it into its own response. */
export interface RouteReply {
  status: number;
  body: unknown;
  /** Response headers the app sets itself, appended beside the session's. */
  headers?: ReadonlyArray<readonly [name: string, value: string]>;
}

/** The JSON every state-returning route answers with. */
export interface SessionState {
  isNew: boolean;
  userId: string | null;
  data: Data;
}

function state(session: AppSession): SessionState {
  return {
    isNew: session.isNew,
    userId: session.userId ?? null,
    data: { ...session.toJSON() } as Data,
  };
}

/**
 * The scenario app, written once over `@tessera/session` and mounted by every
 * adapter, so the adapters only translate requests and responses:
 *
 * - `GET /state`: the session as loaded (changes nothing)
 * - `GET`, `HEAD` or `OPTIONS /touch?k=v&...&status=n`: sets each pair, then
 *   answers `status` (default 200; a 304 has no body): the responses that
 *   must commit nothing
 * - `GET /theme?k=v&...`: sets each pair and answers with a `Set-Cookie` of
 *   the app's own (its Expires date holds a comma) and `Vary: Accept`
 * - `POST /step-up?k=v&...`: sets each pair, then `session.requireFresh(300)`,
 *   which refuses a session that never logged in (the adapter answers 401)
 * - `POST /set?k=v&...`: sets each pair; `POST /delete?key=k`: deletes one key
 * - `POST /fail?k=v&...`: sets each pair, then throws an ordinary error (the
 *   framework answers 500, and the changes must not stick)
 * - `POST /login?user=u`: `session.login(u, { carryOver: ["cart"] })`; in
 *   `tokenMode: "authorization"` the body also carries the issued `token`
 * - `POST /logout`: `session.logout()`
 * - `POST /revoke-others`: `sessions.revokeUser(session.userId, { except: session })`;
 *   a `SessionError` (stateless mode: `ERR_SESSION_UNSUPPORTED`) answers 501 with its code
 */
export async function route(
  sessions: AppSessions,
  session: AppSession,
  method: string,
  url: string,
): Promise<RouteReply> {
  const { pathname, searchParams } = new URL(url, "http://harness.invalid");
  const op = `${method} ${pathname}`;
  switch (op) {
    case "GET /state":
      return { status: 200, body: state(session) };
    case "GET /touch":
    case "HEAD /touch":
    case "OPTIONS /touch": {
      for (const [key, value] of searchParams) if (key !== "status") session.set(key, value);
      const status = Number(searchParams.get("status") ?? 200);
      return { status, body: status === 304 ? null : state(session) };
    }
    case "GET /theme":
      for (const [key, value] of searchParams) session.set(key, value);
      return { status: 200, body: state(session), headers: APP_HEADERS };
    case "POST /step-up":
      for (const [key, value] of searchParams) session.set(key, value);
      session.requireFresh(300);
      return { status: 200, body: state(session) };
    case "POST /set":
      for (const [key, value] of searchParams) session.set(key, value);
      return { status: 200, body: state(session) };
    case "POST /fail":
      for (const [key, value] of searchParams) session.set(key, value);
      throw new Error("the route failed after changing the session");
    case "POST /delete":
      session.delete(searchParams.get("key") ?? "");
      return { status: 200, body: state(session) };
    case "POST /login":
      await session.login(searchParams.get("user") ?? "", { carryOver: ["cart"] });
      // Bearer mode: the app hands the token out in its own body.
      return {
        status: 200,
        body: {
          ...state(session),
          ...(session.bearerToken === undefined ? {} : { token: session.bearerToken }),
        },
      };
    case "POST /logout":
      return { status: 200, body: await session.logout() };
    case "POST /revoke-others": {
      const userId = session.userId;
      if (userId === undefined) return { status: 401, body: { error: "not logged in" } };
      try {
        return {
          status: 200,
          body: { revoked: await sessions.revokeUser(userId, { except: session }) },
        };
      } catch (error) {
        if (SessionError.isInstance(error)) return { status: 501, body: { error: error.code } };
        throw error;
      }
    }
    default:
      return { status: 404, body: { error: `no route ${op}` } };
  }
}

/** What `GET /theme` sets itself: a cookie whose Expires date holds a comma, and a Vary. */
export const APP_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["set-cookie", "theme=dark; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT"],
  ["vary", "Accept"],
];

/** The paths each adapter mounts, with their methods. */
export const ROUTES: ReadonlyArray<{ method: "GET" | "POST" | "OPTIONS"; path: string }> = [
  { method: "GET", path: "/state" },
  { method: "GET", path: "/touch" },
  { method: "GET", path: "/theme" },
  { method: "OPTIONS", path: "/touch" },
  { method: "POST", path: "/set" },
  { method: "POST", path: "/step-up" },
  { method: "POST", path: "/delete" },
  { method: "POST", path: "/fail" },
  { method: "POST", path: "/login" },
  { method: "POST", path: "/logout" },
  { method: "POST", path: "/revoke-others" },
];

/**
 * A {@link RouteReply} as a Fetch `Response`, for the adapters built on one:
 * a 304 carries no body (the `Response` constructor refuses one); the app's
 * own headers are appended.
 */
export function toResponse({ status, body, headers = [] }: RouteReply): Response {
  const response =
    status === 304 ? new Response(null, { status }) : Response.json(body, { status });
  for (const [name, value] of headers) response.headers.append(name, value);
  return response;
}
