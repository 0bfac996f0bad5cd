import { type OutgoingHttpHeaders, ServerResponse } from "node:http";
import { commitsOn, type ResponseFacts, type SessionResponse } from "./respond.js";

type Method = "writeHead" | "write" | "end" | "flushHeaders";
type AnyFn = (...args: unknown[]) => unknown;
type Originals = Record<Method, AnyFn>;
const METHODS: readonly Method[] = ["writeHead", "write", "end", "flushHeaders"];

/**
 * One request's side of {@link holdHeaders}: the session commit that must
 * finish before the response's headers go out.
 *
 * @example
 * ```ts
 * const hook: HeadersHook = {
 *   method: req.method ?? "GET",
 *   commit: (status, vary) => respond(sessions, session, { method: req.method ?? "GET", status, vary }),
 *   onError: (error) => next(error),
 * };
 * ```
 */
export interface HeadersHook {
  /** The request method: with the status, it says whether the response commits at all (`commitsOn`). */
  readonly method: string;
  /** Starts the commit for a response of `status` and `vary`; called once, only when the response commits. */
  commit(status: number, vary: ResponseFacts["vary"]): Promise<SessionResponse>;
  /**
   * The commit failed: the held calls were dropped (and the `Content-Length`
   * and `ETag` that described their body), so this answers instead. A
   * promise it returns is part of {@link HeldResponse.settled}.
   */
  onError(error: unknown): void | Promise<void>;
}

/**
 * The handle {@link holdHeaders} returns, for an adapter that waits for the
 * handler before it decides (h3, Next.js API routes).
 *
 * @example
 * ```ts
 * const hold = holdHeaders(res, hook);
 * try {
 *   await handler(req, res);
 * } catch (error) {
 *   await hold.handlerThrew(error); // rethrows when the response had started
 *   return answerFailure(res, error);
 * }
 * if (hold.open) hold.release(); // the handler sent nothing: commit here instead
 * else await hold.settled;
 * ```
 */
export interface HeldResponse {
  /** True until a header-producing call arrived or the hold was released. */
  readonly open: boolean;
  /** Lets every later call through untouched; no commit starts from the hold. */
  release(): void;
  /** Once a commit started: settles when the held calls were replayed, or `onError` finished. */
  readonly settled: Promise<void> | undefined;
  /**
   * The handler threw `error`. When its response had started, waits for
   * that commit to end and rethrows `error`, for the framework to answer;
   * otherwise releases the hold, so nothing the handler changed is
   * committed, and resolves: answer the failure then.
   */
  handlerThrew(error: unknown): Promise<void>;
}

const OPEN = 0;
const HELD = 1;
const DONE = 2;

class Hold implements HeldResponse {
  state: 0 | 1 | 2 = OPEN;
  queue: Array<[Method, unknown[]]> = [];
  settled: Promise<void> | undefined = undefined;

  constructor(
    readonly res: ServerResponse,
    readonly hook: HeadersHook,
    readonly originals: Originals,
  ) {}

  get open(): boolean {
    return this.state === OPEN;
  }

  release(): void {
    if (this.state === OPEN) done(this);
  }

  async handlerThrew(error: unknown): Promise<void> {
    if (this.state === OPEN) return done(this);
    await this.settled;
    throw error;
  }
}

function statusOf(res: ServerResponse, method: Method, args: unknown[]): number {
  return method === "writeHead" && typeof args[0] === "number" ? args[0] : res.statusCode;
}

/** The headers object passed to `writeHead(status, [message], [headers])`; a raw array is left to Node. */
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
 * Writes what `respond` returned on a Node response, nothing more: each
 * `Set-Cookie` its own field after any the app set (never joined with ", ",
 * which corrupts `Expires` dates, RFC 9110 §5.3), and every header as
 * given. `inline` is the headers object of a held `writeHead`: Node applies
 * it after the headers set on the response, replacing same-named ones, so a
 * name it already has is written there.
 *
 * @example
 * ```ts
 * writeSessionHeaders(res, await respond(sessions, session, { method, status: res.statusCode }));
 * ```
 */
export function writeSessionHeaders(
  res: ServerResponse,
  out: SessionResponse,
  inline?: OutgoingHttpHeaders,
): void {
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
 * Each prototype-hooked response's hold, kept beside the response rather
 * than on it, and only until the hold is done (the commit settled or was not
 * needed). A WeakMap entry left in place would keep every value it holds
 * (the session, the held body) alive into the old generation; deleted when
 * done, an entry lives for one commit's latency and dies young.
 */
const holds = new WeakMap<ServerResponse, Hold>();

/** Ends the hold: later calls go straight to the originals. */
function done(hold: Hold): void {
  hold.state = DONE;
  holds.delete(hold.res);
}

/** What Node returns for each: a write reports success, the others the response. */
function heldResult(res: ServerResponse, method: Method): unknown {
  return method === "write" ? true : method === "flushHeaders" ? undefined : res;
}

function intercept(hold: Hold, method: Method, args: unknown[]): unknown {
  const res = hold.res;
  // Done: forward. The hooks stay on the response (deleting own properties
  // would make it a slow dictionary object), and a wrapper installed after
  // ours (compression, a logger) may still call them.
  if (hold.state === DONE) return hold.originals[method].apply(res, args);
  if (hold.state === HELD) {
    hold.queue.push([method, args]);
    return heldResult(res, method);
  }
  const status = statusOf(res, method, args);
  // Asked synchronously so a response that commits nothing is not held at all.
  if (!commitsOn(hold.hook.method, status)) {
    done(hold);
    return hold.originals[method].apply(res, args);
  }
  let pending: Promise<SessionResponse>;
  try {
    // Started now, before any await: the session refuses changes from here on.
    pending = hold.hook.commit(status, varyOf(res, inlineHeaders(method, args)));
  } catch (error) {
    pending = Promise.reject(error);
  }
  hold.state = HELD;
  hold.queue.push([method, args]);
  hold.settled = replay(hold, pending);
  return heldResult(res, method);
}

/** Writes the headers and replays the held calls once the commit settled; one async call, no closures. */
async function replay(hold: Hold, pending: Promise<SessionResponse>): Promise<void> {
  const res = hold.res;
  let out: SessionResponse;
  try {
    out = await pending;
  } catch (error) {
    done(hold);
    hold.queue = [];
    // The held body is dropped: headers that described it (set by res.send
    // before its end) would make the error's own response wrong. A stale
    // Content-Length with a shorter body leaves the client waiting.
    if (!res.headersSent) {
      res.removeHeader("content-length");
      res.removeHeader("etag");
    }
    await hold.hook.onError(error);
    return;
  }
  done(hold);
  const calls = hold.queue;
  hold.queue = [];
  const [method, args] = calls[0]!;
  if (!res.headersSent) writeSessionHeaders(res, out, inlineHeaders(method, args));
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
      return hold === undefined ? original.apply(this, args) : intercept(hold, method, args);
    };
  }
  patched.set(proto, originals);
  return originals;
}

/**
 * Options of {@link holdHeaders}.
 *
 * @example
 * ```ts
 * holdHeaders(res, hook, { prototype: true }); // Express
 * ```
 */
export interface HoldOptions {
  /**
   * Hook the framework's response prototype once instead of each response
   * (Express). Node's own `ServerResponse.prototype` is never touched: a
   * plain Node response, or one whose methods an earlier middleware wrapped
   * on the instance, is still hooked on the instance.
   * @default false
   */
  prototype?: boolean;
}

/**
 * Intercepts the calls that produce a Node response's headers (`writeHead`,
 * `write`, `end`, `flushHeaders`), so a session commit (an async store
 * write) finishes before a synchronous `res.end()` sends the page: a change
 * the page showed is stored before the browser sees the page. The first call
 * asks `commitsOn(hook.method, status)`: a response that commits nothing
 * goes out untouched. Otherwise `hook.commit` starts, and that call and
 * every later one are queued (writes report success; the queue only lives
 * for one commit's latency) and replayed in order once the session's
 * headers are on the response; on rejection the queue is dropped (with the
 * `Content-Length` and `ETag` that described it) and `hook.onError` answers.
 *
 * With `prototype: true` the hooks live on the framework's response
 * prototype, patched once (a response without a hold runs the original),
 * because hooking each Express response costs too much: every Express
 * response has a hidden class of its own, so four methods added to one copy
 * its map four times and leave every inline cache that later reads it
 * missing. Measured with callgrind (`pnpm --filter @tessera/bench
 * instructions bare tessera`, Express 5 + MemoryStore, each pair in one
 * run): hooks on each response, 890,884 instructions per request against
 * 709,086 with the prototype patched (+25.6%); the same prototype patch with
 * the end-of-request policy moved into `respond`, 722,015 against 702,195
 * before that move (+2.8%). A mounted sub-app's response prototype inherits
 * from its parent's, so it is covered too.
 *
 * @example
 * ```ts
 * import { holdHeaders } from "@tessera/session/node";
 *
 * const hold = holdHeaders(res, {
 *   method: req.method ?? "GET",
 *   commit: (status, vary) => respond(sessions, session, { method: req.method ?? "GET", status, vary }),
 *   onError: (error) => next(error),
 * });
 * ```
 */
export function holdHeaders(
  res: ServerResponse,
  hook: HeadersHook,
  options: HoldOptions = {},
): HeldResponse {
  const proto = options.prototype === true ? frameworkPrototype(res) : null;
  if (proto !== null) {
    const hold = new Hold(res, hook, patchPrototype(proto));
    holds.set(res, hold);
    return hold;
  }
  // A plain Node response, or one already wrapped per instance: hooks on the
  // instance, each closing over its hold (not in the map).
  const hold = new Hold(res, hook, originalsOf(res));
  const methods = res as unknown as Originals;
  methods.writeHead = (...args: unknown[]) => intercept(hold, "writeHead", args);
  methods.write = (...args: unknown[]) => intercept(hold, "write", args);
  methods.end = (...args: unknown[]) => intercept(hold, "end", args);
  methods.flushHeaders = (...args: unknown[]) => intercept(hold, "flushHeaders", args);
  return hold;
}
