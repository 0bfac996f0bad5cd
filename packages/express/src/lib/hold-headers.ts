import { type OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { ResponseFacts, SessionResponse } from "@tessera/session";

type Method = "writeHead" | "write" | "end" | "flushHeaders";
type AnyFn = (...args: unknown[]) => unknown;

/**
 * The per-request side of the hold. `before` runs just before the response's
 * headers are produced: `null` lets them go out unchanged now; a promise
 * holds every write until it settles and then writes what it resolved to
 * (or, on rejection, drops the held writes and calls `onError`, so an error
 * handler can answer).
 */
export interface HeadersHook {
  before(status: number, vary: ResponseFacts["vary"]): Promise<SessionResponse> | null;
  onError(error: unknown): void;
}

interface Hold {
  state: 0 | 1 | 2; // open, held, done
  queue: Array<[Method, unknown[]]>;
  hook: HeadersHook;
  originals: Originals;
}

type Originals = Record<Method, AnyFn>;
const METHODS: readonly Method[] = ["writeHead", "write", "end", "flushHeaders"];

function statusOf(res: ServerResponse, method: Method, args: unknown[]): number {
  return method === "writeHead" && typeof args[0] === "number" ? args[0] : res.statusCode;
}

/** The headers object passed to `writeHead(status, [message], [headers])`, if any. */
function inlineHeaders(method: Method, args: unknown[]): OutgoingHttpHeaders | undefined {
  if (method !== "writeHead") return undefined;
  const candidate = typeof args[1] === "string" ? args[2] : args[1];
  return typeof candidate === "object" && candidate !== null && !Array.isArray(candidate)
    ? (candidate as OutgoingHttpHeaders)
    : undefined;
}

/** The key `inline` uses for `lower` (any case), if it has one. */
function keyOf(inline: OutgoingHttpHeaders | undefined, lower: string): string | undefined {
  if (inline === undefined) return undefined;
  for (const key of Object.keys(inline)) if (key.toLowerCase() === lower) return key;
  return undefined;
}

/** The response's `Vary` as it will go out: a held `writeHead`'s own headers win. */
function varyOf(
  res: ServerResponse,
  inline: OutgoingHttpHeaders | undefined,
): ResponseFacts["vary"] {
  const key = keyOf(inline, "vary");
  return key === undefined ? res.getHeader("vary") : inline?.[key];
}

function merged(existing: unknown, cookies: readonly string[]): string[] {
  if (existing === undefined || existing === null) return [...cookies];
  if (Array.isArray(existing)) return [...existing.map(String), ...cookies];
  return [String(existing), ...cookies];
}

/**
 * Writes what `respond` decided, nothing more: each `Set-Cookie` its own
 * field after any the app set, and every header as given. A headers object
 * passed to a held `writeHead` would overwrite headers set on the response
 * (Node applies it with setHeader), so a name it already has is written there.
 */
function write(res: ServerResponse, first: [Method, unknown[]], out: SessionResponse): void {
  const inline = inlineHeaders(first[0], first[1]);
  for (const name of Object.keys(out.headers)) {
    const key = keyOf(inline, name);
    if (key === undefined) res.setHeader(name, out.headers[name]!);
    else (inline as OutgoingHttpHeaders)[key] = out.headers[name];
  }
  const cookies = out.setCookie;
  if (cookies.length === 0) return;
  const key = keyOf(inline, "set-cookie");
  if (key === undefined) res.setHeader("set-cookie", merged(res.getHeader("set-cookie"), cookies));
  else (inline as OutgoingHttpHeaders)[key] = merged(inline?.[key], cookies);
}

/**
 * Each held response's state, kept beside the response rather than on it,
 * and only until the hold is done (the commit settled or was not needed).
 * A WeakMap entry left in place would keep every value it holds (the
 * session, the held body) alive into the old generation; deleted when done,
 * an entry lives for one commit's latency and dies young.
 */
const holds = new WeakMap<ServerResponse, Hold>();

/** Ends the hold: later calls go straight to the originals. */
function done(res: ServerResponse, hold: Hold): void {
  hold.state = 2;
  holds.delete(res);
}

function heldResult(res: ServerResponse, method: Method): unknown {
  return method === "write" ? true : method === "flushHeaders" ? undefined : res;
}

function intercept(res: ServerResponse, hold: Hold, method: Method, args: unknown[]): unknown {
  // Done: forward. The hooks stay on the response (deleting own properties
  // would make it a slow dictionary object), and a wrapper installed after
  // ours (compression, a logger) may still call them.
  if (hold.state === 2) return hold.originals[method].apply(res, args);
  if (hold.state === 1) {
    hold.queue.push([method, args]);
    return heldResult(res, method);
  }
  let pending: Promise<SessionResponse> | null;
  try {
    pending = hold.hook.before(
      statusOf(res, method, args),
      varyOf(res, inlineHeaders(method, args)),
    );
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

/** Writes the headers and replays the held calls once the commit settled; one async call, no closures. */
async function replay(
  res: ServerResponse,
  hold: Hold,
  pending: Promise<SessionResponse>,
): Promise<void> {
  let out: SessionResponse;
  try {
    out = await pending;
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
  if (!res.headersSent) write(res, calls[0]!, out);
  for (const [m, a] of calls) hold.originals[m].apply(res, a);
}

/** Prototypes already carrying our hooks, with the methods they replaced. */
const patched = new WeakMap<object, Originals>();

function originalsOf(target: object): Originals {
  const t = target as Originals;
  return { writeHead: t.writeHead, write: t.write, end: t.end, flushHeaders: t.flushHeaders };
}

function hasOwnHook(target: object): boolean {
  for (const method of METHODS) if (Object.hasOwn(target, method)) return true;
  return false;
}

/**
 * The framework's response prototype (on Express, the app's `res`; a mounted
 * sub-app's inherits from its parent's), unless the response is a plain
 * Node one or an earlier middleware already wrapped its methods on the
 * instance; else null.
 */
function frameworkPrototype(res: ServerResponse): object | null {
  const proto = Object.getPrototypeOf(res) as object | null;
  return proto === null || proto === ServerResponse.prototype || hasOwnHook(res) ? null : proto;
}

/** Hooks `proto` once; a response without a hold just runs the original. */
function patchPrototype(proto: object): Originals {
  const known = patched.get(proto);
  if (known !== undefined) return known;
  const originals = originalsOf(proto);
  const target = proto as Originals;
  for (const method of METHODS) {
    const original = originals[method];
    target[method] = function (this: ServerResponse, ...args: unknown[]) {
      const hold = holds.get(this);
      return hold === undefined ? original.apply(this, args) : intercept(this, hold, method, args);
    };
  }
  patched.set(proto, originals);
  return originals;
}

/**
 * Intercepts the calls that produce a response's headers
 * (`writeHead`, `write`, `end`, `flushHeaders`). The first one asks
 * `hook.before`; when it returns a promise, that call and every later one are
 * queued (writes report success; the queue only lives for one commit's
 * latency) and replayed in order once the session's headers are added; on
 * rejection the queue is dropped (with the Content-Length and ETag that
 * described it) and `hook.onError` called, so an error handler can answer
 * instead. Headers never go out before the commit finished: this is what
 * lets an async store write complete before a synchronous `writeHead`, so a
 * change the page showed is stored before the browser sees the page.
 *
 * On Express the hooks live on the app's response prototype, patched once
 * (a response without a hold runs the original), because hooking each
 * response costs too much: every Express response has a hidden class of its
 * own, so four methods added to one copy its map four times and leave every
 * inline cache that later reads it missing. Measured with callgrind
 * (`pnpm --filter @tessera/bench instructions bare tessera`, Express 5 +
 * MemoryStore, each pair in one run): hooks on each response, 890,884
 * instructions per request against 709,086 with the prototype patched
 * (+25.6%); the same prototype patch with the end-of-request policy moved
 * into `respond`, 722,015 against 702,195 before that move (+2.8%). A mounted sub-app's response
 * prototype inherits from its parent's, so it is covered too. Node's
 * `ServerResponse.prototype` is never touched; Connect, plain node:http, and
 * a response whose methods an earlier middleware wrapped on the instance are
 * hooked per instance, so those wrappers are not bypassed.
 */
export function holdHeaders(res: ServerResponse, hook: HeadersHook): void {
  const proto = frameworkPrototype(res);
  if (proto !== null) {
    holds.set(res, { state: 0, queue: [], hook, originals: patchPrototype(proto) });
    return;
  }
  // Connect, plain node:http, or a response already wrapped per instance:
  // hooks on the instance, each closing over its hold (not in the map).
  const hold: Hold = { state: 0, queue: [], hook, originals: originalsOf(res) };
  const methods = res as unknown as Originals;
  methods.writeHead = (...args: unknown[]) => intercept(res, hold, "writeHead", args);
  methods.write = (...args: unknown[]) => intercept(res, hold, "write", args);
  methods.end = (...args: unknown[]) => intercept(res, hold, "end", args);
  methods.flushHeaders = (...args: unknown[]) => intercept(res, hold, "flushHeaders", args);
}
