import type { ServerResponse } from "node:http";
import { failureResponse, httpFailure } from "./http-failure.js";

/**
 * Answers on `res` in place of what the app had set: for an error
 * `httpFailure` maps, its status and headers (503 with `Retry-After`, 409,
 * 401), else a 500 (for an error the framework can no longer answer, such
 * as a commit that failed after the handler returned). None of the app's
 * headers go out: a `Content-Length`, an `ETag` or a cookie described a
 * response that is not sent. Nothing happens once the headers went out.
 *
 * @example
 * ```ts
 * holdHeaders(res, { method, commit, onError: (error) => answerInstead(res, error) });
 * ```
 */
export function answerInstead(res: ServerResponse, error: unknown): Promise<void> {
  const failure = httpFailure(error);
  return send(res, failure === undefined ? internalError() : failureResponse(failure));
}

/**
 * {@link answerInstead} for an error `httpFailure` maps; rejects with any
 * other error, for the framework to answer (and log) as its own.
 *
 * @example
 * ```ts
 * try {
 *   session = await sessions.load(req.headers.cookie);
 * } catch (error) {
 *   return answerFailure(res, error);
 * }
 * ```
 */
export async function answerFailure(res: ServerResponse, error: unknown): Promise<void> {
  const failure = httpFailure(error);
  if (failure === undefined) throw error;
  return send(res, failureResponse(failure));
}

function internalError(): Response {
  return new Response("Internal Server Error", {
    status: 500,
    headers: { "cache-control": "no-store", "content-type": "text/plain" },
  });
}

async function send(res: ServerResponse, answer: Response): Promise<void> {
  const body = await answer.text();
  if (res.headersSent) return;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = answer.status;
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.end(body);
}
