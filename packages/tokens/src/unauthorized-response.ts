import { badOption } from "./errors.js";

/**
 * Options of {@link unauthorizedResponse}.
 *
 * @example
 * ```ts
 * unauthorizedResponse(result, { realm: "api", maxAuthAge: 300 });
 * ```
 */
export interface UnauthorizedOptions {
  /** `realm` of the challenge (RFC 6750 §3). @default none */
  realm?: string;
  /** For `auth_too_old`: the `max_age` the client must re-authenticate within (RFC 9470 §3). */
  maxAuthAge?: number;
  /** For `insufficient_acr`: the `acr_values` to reach (RFC 9470 §3). */
  acrValues?: readonly string[];
}

// RFC 9110 §5.6.4 quoted-string content we emit: visible ASCII and space,
// without `"` and `\` (so nothing needs escaping and nothing can break out).
const QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{0,256}$/;

function quoted(name: string, value: string): string {
  if (!QUOTABLE.test(value))
    badOption(name, value, "printable ASCII without quotes or backslashes");
  return `"${value}"`;
}

/**
 * The challenge for a refused bearer request (RFC 6750 §3, §3.1):
 * - `missing` → 401 `WWW-Authenticate: Bearer` with no error code (§3.1:
 *   a request without credentials gets none);
 * - `malformed` → 400 `error="invalid_request"`;
 * - `auth_too_old` / `insufficient_acr` → 401
 *   `error="insufficient_user_authentication"` with `max_age` / `acr_values`
 *   (RFC 9470 §3, the OAuth step-up challenge);
 * - anything else (`invalid`, `expired`, `revoked`, ...) → 401
 *   `error="invalid_token"`.
 * The body is empty and `cache-control: no-store` is set.
 *
 * @example
 * ```ts
 * const seen = await tokens.verifyRequest(request);
 * if (!seen.ok) return unauthorizedResponse(seen, { realm: "api" });
 * // 401, www-authenticate: Bearer realm="api", error="invalid_token", error_description="expired"
 * ```
 */
export function unauthorizedResponse(
  result: { reason: string },
  options: UnauthorizedOptions = {},
): Response {
  const reason = result?.reason;
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quoted("realm", options.realm)}`);
  let status = 401;
  if (reason === "malformed") {
    status = 400;
    params.push(`error="invalid_request"`);
  } else if (reason === "auth_too_old" || reason === "insufficient_acr") {
    params.push(`error="insufficient_user_authentication"`);
    if (reason === "auth_too_old" && options.maxAuthAge !== undefined) {
      if (!Number.isInteger(options.maxAuthAge) || options.maxAuthAge < 0) {
        badOption("maxAuthAge", options.maxAuthAge, "an integer number of seconds >= 0");
      }
      params.push(`max_age=${options.maxAuthAge}`);
    }
    if (reason === "insufficient_acr" && options.acrValues !== undefined) {
      params.push(`acr_values=${quoted("acrValues", options.acrValues.join(" "))}`);
    }
  } else if (reason !== "missing") {
    params.push(`error="invalid_token"`);
    // Reasons are fixed identifiers; safe and useful in the challenge.
    if (typeof reason === "string" && /^[a-z_]{1,32}$/.test(reason)) {
      params.push(`error_description="${reason}"`);
    }
  }
  return new Response(null, {
    status,
    headers: {
      "www-authenticate": params.length === 0 ? "Bearer" : `Bearer ${params.join(", ")}`,
      "cache-control": "no-store",
    },
  });
}
