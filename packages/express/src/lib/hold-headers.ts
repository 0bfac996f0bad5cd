import { type OutgoingHttpHeaders, ServerResponse } from "node:http";

type Method = "writeHead" | "write" | "end" | "flushHeaders";
type AnyFn = (...args: unknown[]) => unknown;

/**
 * The per-request side of the hold, one object with methods (no closures per
 * request). `before` runs just before the response's headers are produced:
 * `null` lets them go out unchanged now; a promise holds every write until it
 * settles and then adds the resolved `Set-Cookie` values (or, on rejection,
 * drops the held writes and calls `onError`, so an error handler can answer).
 */
export interface HeadersHook {
  before(status: number): Promise<SessionHeaders> | null;
  onError(error: unknown): void;
}

/** What a commit adds to the response. */
export interface SessionHeaders {
  /** `Set-Cookie` values, one field each. */
  setCookie: readonly string[];
  /** Other headers the session asks for (e.g. `clear-site-data` after logout). */
  headers: Readonly<Record<string, string>>;
  /**
   * Bearer mode: a token this commit issued. It is never put in a header (the
   * app sends `req.session.bearerToken` in its body); it only makes the
   * response `no-store` (RFC 6749 §5.1).
   */
  token?: string;
}

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
function addCookies(res: ServerResponse, first: [Method, unknown[]], added: SessionHeaders) {
  for (const name of Object.keys(added.headers)) res.setHeader(name, added.headers[name]!);
  const cookies = added.setCookie;
  if (cookies.length === 0 && added.token === undefined) return;
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
  if (cookies.length === 0) {
    // Bearer mode: nothing to merge; never an empty Set-Cookie.
  } else if (inline !== undefined && cookieKey !== undefined) {
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

interface Hold {
  state: 0 | 1 | 2; // open, held, done
  queue: Array<[Method, unknown[]]>;
  hook: HeadersHook;
  originals: Record<Method, AnyFn>;
}

/**
 * Each held response's state, kept beside the response rather than on it,
 * and only until the hold is done (the commit settled or was not needed).
 * Under Express every request/response object has a hidden class of its
 * own, so adding a property to one copies a map per request (callgrind:
 * ~5-10k instructions per add). A WeakMap entry left in place is worse: the
 * table lives in the old generation, so every value it holds (the session,
 * the held body) survives young-generation GCs and is promoted, and
 * measured over HTTP that cost more than the whole session's work. Deleted
 * when done, an entry lives for one commit's latency and dies young.
 */
const holds = new WeakMap<ServerResponse, Hold>();

function heldResult(res: ServerResponse, method: Method): unknown {
  return method === "write" ? true : method === "flushHeaders" ? undefined : res;
}

function intercept(res: ServerResponse, hold: Hold, method: Method, args: unknown[]): unknown {
  // Done: forward. The hooks stay installed (removing own properties would
  // turn the response object into a slow dictionary-mode object), and a
  // wrapper installed after ours (compression, a logger) may still call them.
  if (hold.state === 2) return hold.originals[method].apply(res, args);
  if (hold.state === 1) {
    hold.queue.push([method, args]);
    return heldResult(res, method);
  }
  let pending: Promise<SessionHeaders> | null;
  try {
    pending = hold.hook.before(statusOf(res, method, args));
  } catch (error) {
    pending = Promise.reject(error);
  }
  if (pending === null) {
    done(res, hold);
    return hold.originals[method].apply(res, args);
  }
  hold.state = 1;
  hold.queue.push([method, args]);
  void replay(res, hold, pending);
  return heldResult(res, method);
}

/** Ends the hold: later calls go straight to the originals. */
function done(res: ServerResponse, hold: Hold): void {
  hold.state = 2;
  holds.delete(res);
}

/** Adds the cookies and replays the held calls once the commit settled; one async call, no closures. */
async function replay(
  res: ServerResponse,
  hold: Hold,
  pending: Promise<SessionHeaders>,
): Promise<void> {
  let added: SessionHeaders;
  try {
    added = await pending;
  } catch (error) {
    done(res, hold);
    hold.queue = [];
    // The held body is dropped: headers that described it (set by res.send
    // before its end) would make the error handler's own response wrong. A
    // stale Content-Length with a shorter body leaves the client waiting.
    if (!res.headersSent) {
      res.removeHeader("content-length");
      res.removeHeader("etag");
    }
    hold.hook.onError(error);
    return;
  }
  done(res, hold);
  const calls = hold.queue;
  hold.queue = [];
  if (!res.headersSent) addCookies(res, calls[0]!, added);
  for (const [m, a] of calls) hold.originals[m].apply(res, a);
}

type Originals = Record<Method, AnyFn>;
const METHODS: readonly Method[] = ["writeHead", "write", "end", "flushHeaders"];

/** Prototypes already carrying our hooks, with the methods they replaced. */
const patchedPrototypes = new WeakMap<object, Originals>();

function originalsOf(target: object): Originals {
  const t = target as Record<Method, AnyFn>;
  return { writeHead: t.writeHead, write: t.write, end: t.end, flushHeaders: t.flushHeaders };
}

/**
 * Express gives every response its app's `res` prototype. Hooking that
 * prototype once costs each request a single WeakMap entry (the hold) instead of
 * four method assignments; a response without a hold just runs the original.
 */
function patchPrototype(proto: object): Originals {
  let originals = patchedPrototypes.get(proto);
  if (originals !== undefined) return originals;
  const saved = originalsOf(proto);
  originals = saved;
  const target = proto as Record<Method, AnyFn>;
  for (const method of METHODS) {
    const original = saved[method];
    target[method] = function (this: ServerResponse, ...args: unknown[]) {
      const hold = holds.get(this);
      return hold === undefined ? original.apply(this, args) : intercept(this, hold, method, args);
    };
  }
  patchedPrototypes.set(proto, saved);
  return saved;
}

function hasOwnHook(res: ServerResponse): boolean {
  for (const method of METHODS) if (Object.hasOwn(res, method)) return true;
  return false;
}

/**
 * Intercepts the calls that produce a response's headers (`writeHead`,
 * `write`, `end`, `flushHeaders`). The first one asks `hook.before`; when it
 * returns a promise, that call and every later one are queued (writes report
 * success; the queue only lives for one commit's latency) and replayed in
 * order once the cookies are added; on rejection the queue is dropped (with
 * the Content-Length and ETag that described it) and `hook.onError` called,
 * so an error handler can answer instead. Headers are never
 * sent before the commit finished: this is what lets an async store write
 * complete before a synchronous `writeHead` (AD-04).
 *
 * On Express the hooks live on the app's response prototype; Node's shared
 * `ServerResponse.prototype` (Connect, plain node:http) is never touched, and
 * a response whose methods were already wrapped per instance by an earlier
 * middleware is hooked per instance too, so those wrappers are not bypassed.
 */
export function holdHeaders(res: ServerResponse, hook: HeadersHook): void {
  const proto = Object.getPrototypeOf(res) as object | null;
  if (proto !== null && proto !== ServerResponse.prototype && !hasOwnHook(res)) {
    const originals = patchPrototype(proto);
    holds.set(res, { state: 0, queue: [], hook, originals });
    return;
  }
  // Connect, plain node:http, or a response already wrapped per instance:
  // hooks on the instance, each closing over its hold (not in the map).
  const hold: Hold = { state: 0, queue: [], hook, originals: originalsOf(res) };
  const methods = res as unknown as Record<Method, AnyFn>;
  methods.writeHead = (...args: unknown[]) => intercept(res, hold, "writeHead", args);
  methods.write = (...args: unknown[]) => intercept(res, hold, "write", args);
  methods.end = (...args: unknown[]) => intercept(res, hold, "end", args);
  methods.flushHeaders = (...args: unknown[]) => intercept(res, hold, "flushHeaders", args);
}
