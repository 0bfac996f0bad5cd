import { applyCookies } from "./apply-cookies.js";
import type { Sessions } from "./create-sessions.js";
import { failureResponse, httpFailure } from "./http-failure.js";
import { respond, type SessionResponse } from "./respond.js";
import type { Session } from "./session.js";

/**
 * The Response that answers a session failure the request cannot fix (a
 * store outage 503, a lost write race 409, a step-up refusal 401; see
 * {@link httpFailure} and {@link failureResponse}); rethrows any other error.
 *
 * @example
 * ```ts
 * try {
 *   return await handler(request, await sessions.load(request));
 * } catch (error) {
 *   return failureResponseFor(error);
 * }
 * ```
 */
export function failureResponseFor(error: unknown): Response {
  const failure = httpFailure(error);
  if (failure === undefined) throw error;
  return failureResponse(failure);
}

/**
 * The end of a Fetch request, as every adapter ends it: commits `session`
 * by {@link respond} and returns `response` with its headers (see
 * {@link applyCookies}: a copy when its headers are immutable), or the
 * failure Response in its place when the commit fails for a reason the
 * request cannot fix (nothing stored, no cookie). Rejects with any other error.
 *
 * @example
 * ```ts
 * return sendWithSession(sessions, session, request.method, new Response("ok"));
 * ```
 */
export async function sendWithSession<Data extends object, Flash extends object>(
  sessions: Sessions<Data, Flash>,
  session: Session<Data, Flash>,
  method: string,
  response: Response,
): Promise<Response> {
  let out: SessionResponse;
  try {
    out = await respond(sessions, session, {
      method,
      status: response.status,
      vary: response.headers.get("vary"),
    });
  } catch (error) {
    return failureResponseFor(error);
  }
  return applyCookies(response, out.setCookie, out.headers);
}
