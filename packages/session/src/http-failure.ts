/**
 * How a session failure that the request cannot fix answers over HTTP.
 * `"store_unavailable"`: the store could not be reached (503, retry later;
 * never a fresh session that would later overwrite real data: fail closed).
 * `"conflict"`: the commit still conflicted after the manager's merge retries
 * (409; nothing was stored, the client may retry).
 * `"reauth_required"`: `requireFresh` (step-up) or `elevate` refused because
 * the user has not authenticated recently enough (401; send the user to your
 * login page, see the README's re-authentication pattern).
 *
 * @example
 * ```ts
 * const failure: HttpFailure = { kind: "conflict", status: 409, headers: { "cache-control": "no-store" } };
 * ```
 */
export type HttpFailure =
  | {
      kind: "store_unavailable";
      status: 503;
      headers: Readonly<{ "retry-after": string; "cache-control": "no-store" }>;
    }
  | { kind: "conflict"; status: 409; headers: Readonly<{ "cache-control": "no-store" }> }
  | { kind: "reauth_required"; status: 401; headers: Readonly<{ "cache-control": "no-store" }> };

const UNAVAILABLE: HttpFailure = Object.freeze({
  kind: "store_unavailable",
  status: 503,
  headers: Object.freeze({ "retry-after": "5", "cache-control": "no-store" }),
});

const CONFLICT: HttpFailure = Object.freeze({
  kind: "conflict",
  status: 409,
  headers: Object.freeze({ "cache-control": "no-store" }),
});

// No cache may keep the refusal: the same URL answers 200 once the user has
// re-authenticated (RFC 9111 §5.2.2.5).
const REAUTH: HttpFailure = Object.freeze({
  kind: "reauth_required",
  status: 401,
  headers: Object.freeze({ "cache-control": "no-store" }),
});

/**
 * Classifies an error thrown by `load`, `commit` or a session method for an
 * HTTP layer: a store outage (`ERR_STORE_UNAVAILABLE`, `ERR_STORE_CLOSED`), a
 * lost write race (`ERR_SESSION_CONFLICT`) or a step-up refusal
 * (`ERR_SESSION_REAUTH_REQUIRED`) gets its status and headers; anything else
 * is `undefined` and should propagate. Matches by stable code, so it works with
 * any copy of `@tessera/store` and custom stores that throw its errors. Every
 * Tessera adapter and {@link withSessions} answer through it, so they agree.
 *
 * @example
 * ```ts
 * try {
 *   session = await sessions.load(request);
 * } catch (error) {
 *   const failure = httpFailure(error);
 *   if (failure === undefined) throw error;
 *   return new Response(null, { status: failure.status, headers: failure.headers });
 * }
 * ```
 */
export function httpFailure(error: unknown): HttpFailure | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_STORE_UNAVAILABLE" || code === "ERR_STORE_CLOSED") return UNAVAILABLE;
  if (code === "ERR_SESSION_CONFLICT") return CONFLICT;
  if (code === "ERR_SESSION_REAUTH_REQUIRED") return REAUTH;
  return undefined;
}

const TEXT: Record<HttpFailure["status"], string> = {
  401: "Unauthorized",
  409: "Conflict",
  503: "Service Unavailable",
};

/**
 * The plain-text Response for an {@link HttpFailure}: nothing from the error
 * itself (store hosts, keys) reaches the client (OWASP Error Handling:
 * no internal details in responses).
 *
 * @example
 * ```ts
 * const failure = httpFailure(error);
 * if (failure !== undefined) return failureResponse(failure); // 503, 409 or 401
 * ```
 */
export function failureResponse(failure: HttpFailure): Response {
  return new Response(TEXT[failure.status], {
    status: failure.status,
    headers: { ...failure.headers, "content-type": "text/plain" },
  });
}
