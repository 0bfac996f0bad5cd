import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

const METHODS = ["writeHead", "write", "end", "flushHeaders"] as const;
type Method = (typeof METHODS)[number];
type AnyFn = (...args: unknown[]) => unknown;

/**
 * What to do just before the response's headers are produced: `null` lets
 * them go out unchanged now; a promise holds every write until it settles and
 * then adds the resolved `Set-Cookie` values (or, on rejection, drops the held
 * writes and calls `onError`, so an error handler can answer instead).
 */
export type BeforeHeaders = (status: number) => Promise<readonly string[]> | null;

function statusOf(res: ServerResponse, method: Method, args: unknown[]): number {
  return method === "writeHead" && typeof args[0] === "number" ? args[0] : res.statusCode;
}

/** The headers object passed to `writeHead(status, [message], [headers])`, if any. */
function writeHeadHeaders(args: unknown[]): OutgoingHttpHeaders | undefined {
  const candidate = typeof args[1] === "string" ? args[2] : args[1];
  return typeof candidate === "object" && candidate !== null && !Array.isArray(candidate)
    ? (candidate as OutgoingHttpHeaders)
    : undefined;
}

function merged(existing: unknown, cookies: readonly string[]): string[] {
  if (existing === undefined || existing === null) return [...cookies];
  if (Array.isArray(existing)) return [...existing.map(String), ...cookies];
  return [String(existing), ...cookies];
}

function varyWithCookie(vary: unknown): string {
  if (vary === undefined || vary === null || vary === "") return "Cookie";
  const text = Array.isArray(vary) ? vary.join(", ") : String(vary);
  return /(^|,)\s*(cookie|\*)\s*(,|$)/i.test(text) ? text : `${text}, Cookie`;
}

/**
 * Adds the session's cookies: each `Set-Cookie` its own field, after any the
 * app set (AD-02), plus `Cache-Control: no-store` and `Vary: Cookie` (AD-03).
 * A headers object given to a held `writeHead` would overwrite headers set
 * here (Node applies it with setHeader), so matching keys are merged into it.
 */
function addCookies(res: ServerResponse, first: [Method, unknown[]], cookies: readonly string[]) {
  if (cookies.length === 0) return;
  const inline = first[0] === "writeHead" ? writeHeadHeaders(first[1]) : undefined;
  let cookieKey: string | undefined;
  let cacheKey: string | undefined;
  let varyKey: string | undefined;
  if (inline !== undefined) {
    for (const key of Object.keys(inline)) {
      const lower = key.toLowerCase();
      if (lower === "set-cookie") cookieKey = key;
      else if (lower === "cache-control") cacheKey = key;
      else if (lower === "vary") varyKey = key;
    }
  }
  if (inline !== undefined && cookieKey !== undefined) {
    inline[cookieKey] = merged(inline[cookieKey], cookies);
  } else {
    res.setHeader("set-cookie", merged(res.getHeader("set-cookie"), cookies));
  }
  if (inline !== undefined && cacheKey !== undefined) inline[cacheKey] = "no-store";
  else res.setHeader("cache-control", "no-store");
  if (inline !== undefined && varyKey !== undefined)
    inline[varyKey] = varyWithCookie(inline[varyKey]);
  else res.setHeader("vary", varyWithCookie(res.getHeader("vary")));
}

/**
 * Intercepts the calls that produce a response's headers (`writeHead`,
 * `write`, `end`, `flushHeaders`). The first one asks `before`; when it
 * returns a promise, that call and every later one are queued (writes report
 * success; the queue only lives for one commit's latency) and replayed in
 * order once the cookies are added. The original methods are put back before
 * the replay, so the rest of the response runs on Node's own code path.
 * Headers are never sent before the commit finished: this is what lets an
 * async store write complete before a synchronous `writeHead` (AD-04).
 */
export function holdHeaders(
  res: ServerResponse,
  before: BeforeHeaders,
  onError: (error: unknown) => void,
): void {
  const target = res as unknown as Record<Method, AnyFn>;
  const originals = {} as Record<Method, AnyFn>;
  const own = {} as Record<Method, boolean>;
  for (const m of METHODS) {
    originals[m] = target[m];
    own[m] = Object.hasOwn(res, m);
  }
  const interceptors = {} as Record<Method, AnyFn>;
  // "done": a wrapper installed after ours (compression, a logger) may still
  // call our interceptor, which then simply forwards.
  let state: "open" | "held" | "done" = "open";
  let queue: Array<[Method, unknown[]]> = [];

  const restore = () => {
    state = "done";
    for (const m of METHODS) {
      if (target[m] !== interceptors[m]) continue;
      if (own[m]) target[m] = originals[m];
      else delete (target as Partial<Record<Method, AnyFn>>)[m];
    }
  };

  const held = (method: Method): unknown =>
    method === "write" ? true : method === "flushHeaders" ? undefined : res;

  for (const method of METHODS) {
    const intercept = (...args: unknown[]): unknown => {
      if (state === "done") return originals[method].apply(res, args);
      if (state === "held") {
        queue.push([method, args]);
        return held(method);
      }
      let pending: Promise<readonly string[]> | null;
      try {
        pending = before(statusOf(res, method, args));
      } catch (error) {
        pending = Promise.reject(error);
      }
      if (pending === null) {
        restore();
        return originals[method].apply(res, args);
      }
      const calls: Array<[Method, unknown[]]> = [[method, args]];
      queue = calls;
      state = "held";
      pending.then(
        (cookies) => {
          restore();
          if (!res.headersSent) addCookies(res, calls[0]!, cookies);
          for (const [m, a] of calls) originals[m].apply(res, a);
        },
        (error: unknown) => {
          restore();
          calls.length = 0;
          onError(error);
        },
      );
      return held(method);
    };
    interceptors[method] = intercept;
    target[method] = intercept;
  }
}
