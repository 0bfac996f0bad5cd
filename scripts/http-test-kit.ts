/**
 * Plain node:http test helpers shared by the framework adapters' tests
 * (express, fastify, hono): a server on 127.0.0.1 port 0, one real request,
 * the `name=value` of a Set-Cookie, and a raw HTTP/1.1 request for header
 * shapes a client library would normalize. Node built-ins only, so it can be
 * imported relatively from any package's tests, like test-env.ts.
 */
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  setCookie: string[];
  body: string;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** One request over real HTTP; `cookie` is sent as a single Cookie header. */
export function send(
  base: string,
  path: string,
  init: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method: init.method ?? "GET",
        agent: false,
        headers: {
          ...(init.cookie ? { cookie: init.cookie } : {}),
          ...init.headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            setCookie: res.headers["set-cookie"] ?? [],
            body,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** `name=value` of the first Set-Cookie with that name. */
export function cookieOf(reply: Reply, name: string): string | undefined {
  const line = reply.setCookie.find((c) => c.startsWith(`${name}=`));
  return line?.slice(0, line.indexOf(";"));
}

/** A raw HTTP/1.1 request, for header shapes a client library would normalize. */
export function rawRequest(base: string, lines: string[]): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => {
      data += c;
    });
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

/**
 * The session-store methods {@link FlakyStore} wraps. Structural, because this
 * kit imports no `@tessera/*` package (it is imported from the repository root).
 */
export interface WrappableStore {
  get(key: string): Promise<unknown>;
  set(key: string, entry: never, options?: { expectVersion?: number }): Promise<unknown>;
  touch(key: string, expiresAt: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

type Result<S extends WrappableStore, M extends keyof WrappableStore> = Promise<
  Awaited<ReturnType<S[M]>>
>;

/**
 * A store with two switches for the adapters' failure tests: while `down`,
 * every method rejects with `outage()` (an unreachable backend); while
 * `conflict`, every versioned write answers a conflict, as if another request
 * always wrote first. Otherwise it forwards to `inner`.
 *
 * @example
 * ```ts
 * const store = new FlakyStore(new MemoryStore(), () => new StoreUnavailableError("down"));
 * store.down = true; // the next request answers 503
 * ```
 */
export class FlakyStore<S extends WrappableStore> {
  down = false;
  conflict = false;

  constructor(
    readonly inner: S,
    private readonly outage: () => Error,
  ) {}

  private check(): void {
    if (this.down) throw this.outage();
  }

  async get(key: string): Result<S, "get"> {
    this.check();
    return (await this.inner.get(key)) as Awaited<ReturnType<S["get"]>>;
  }

  async set(...args: Parameters<S["set"]>): Result<S, "set"> {
    this.check();
    if (
      this.conflict &&
      (args[2] as { expectVersion?: number } | undefined)?.expectVersion !== undefined
    ) {
      return { ok: false, conflict: true } as Awaited<ReturnType<S["set"]>>;
    }
    const set = this.inner.set as (...a: unknown[]) => Promise<unknown>;
    return (await set.apply(this.inner, args)) as Awaited<ReturnType<S["set"]>>;
  }

  async touch(key: string, expiresAt: number): Result<S, "touch"> {
    this.check();
    return (await this.inner.touch(key, expiresAt)) as Awaited<ReturnType<S["touch"]>>;
  }

  async delete(key: string): Result<S, "delete"> {
    this.check();
    return (await this.inner.delete(key)) as Awaited<ReturnType<S["delete"]>>;
  }
}
