import type { LoadMeta, SessionSource } from "../create-sessions.js";
import type { Backend } from "./backend.js";
import type { SessionMeta } from "./record.js";

interface HeadersLike {
  get(name: string): string | null;
}

/**
 * One header of what `load` was given; a string is the header value itself.
 * Duck-typed rather than `instanceof`: Request/Headers may come from another
 * realm or a polyfill, and some runtimes do not define the globals at all.
 */
function headerValue(source: SessionSource, name: "cookie" | "authorization"): string {
  if (source === null || source === undefined) return "";
  if (typeof source === "string") return source;
  const headers: HeadersLike | undefined =
    typeof (source as HeadersLike).get === "function"
      ? (source as HeadersLike)
      : (source as { headers?: HeadersLike }).headers;
  return typeof headers?.get === "function" ? (headers.get(name) ?? "") : "";
}

/** The `Cookie` header of a load source (cookie token mode). */
export function cookieHeaderOf(source: SessionSource): string {
  return headerValue(source, "cookie");
}

/** The `Authorization` header of a load source, as adapters pass `req.headers.authorization`. */
export function authorizationOf(source: SessionSource): string {
  return headerValue(source, "authorization");
}

function userAgentOf(source: SessionSource): string | undefined {
  const headers = (source as { headers?: HeadersLike } | null | undefined)?.headers;
  if (typeof source === "string" || typeof headers?.get !== "function") return undefined;
  return headers.get("user-agent") ?? undefined;
}

/**
 * The request metadata a session records: the strings of `meta`, else the
 * user agent of a Request source when the backend keeps metadata at all.
 */
export function loadMeta(
  source: SessionSource,
  meta: LoadMeta | undefined,
  backend: Backend,
): SessionMeta | undefined {
  if (meta === undefined) {
    const ua = backend.keepsMeta ? userAgentOf(source) : undefined;
    return ua === undefined ? undefined : { userAgent: ua };
  }
  // Only strings get in; one object, built without spreads (per-request path).
  const { userAgent, ip } = meta;
  const clean: SessionMeta = {};
  if (typeof userAgent === "string") clean.userAgent = userAgent;
  if (typeof ip === "string") clean.ip = ip;
  return clean;
}
