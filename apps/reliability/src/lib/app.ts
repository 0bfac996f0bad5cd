/**
 * The application under test, twice: Express 5 with `@tessera/express`, and a
 * plain Fetch handler wrapped by `withSessions` from `@tessera/session` behind
 * a minimal Node bridge. Both expose the same routes and map the library's
 * typed errors to the documented statuses; anything unmapped is a 500, which
 * every test treats as a library failure.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sessionMiddleware } from "@tessera/express";
import { type Session, type Sessions, withSessions } from "@tessera/session";
import express, {
  type Request as ExRequest,
  type Response as ExResponse,
  type NextFunction,
} from "express";

export type Data = Record<string, unknown>;
export type AppSessions = Sessions<Data, Data>;
export type AppSession = Session<Data, Data>;
export type AppKind = "express" | "fetch";
export const APP_KINDS: readonly AppKind[] = ["express", "fetch"];

interface Reply {
  status: number;
  body: unknown;
}

/** Largest request body the routes read (bigger than the session cap on purpose). */
const MAX_BODY = 2 * 1024 * 1024;

/** Longest server-side pause `/inc?wait=` grants, ms: enough to hold a request open across a race. */
const MAX_WAIT_MS = 1000;

/** The routes, shared by both adapters. `body` is the raw request body. */
async function route(
  sessions: AppSessions,
  session: AppSession,
  method: string,
  url: URL,
  body: string,
): Promise<Reply> {
  const q = url.searchParams;
  const state = () => ({
    user: session.userId ?? null,
    isNew: session.isNew,
    rejected: session.rejected ?? null,
    counter: (session.get("counter") as number | undefined) ?? 0,
  });
  switch (`${method} ${url.pathname}`) {
    case "GET /inc":
    case "POST /inc": {
      // `wait` keeps the request between its load and its commit for that long (race tests).
      const wait = Math.min(MAX_WAIT_MS, Math.max(0, Number(q.get("wait")) || 0));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      session.set("counter", ((session.get("counter") as number | undefined) ?? 0) + 1);
      return { status: 200, body: state() };
    }
    case "GET /state":
      return { status: 200, body: { ...state(), data: session.toJSON() } };
    case "POST /set": {
      session.set(q.get("key") ?? "k", q.get("value") ?? body);
      return { status: 200, body: state() };
    }
    case "POST /big": {
      session.set("big", body);
      return { status: 200, body: state() };
    }
    case "POST /login": {
      await session.login(q.get("user") ?? body);
      // tokenMode "authorization": the token the client must send as a bearer token.
      return { status: 200, body: { ...state(), token: session.bearerToken ?? null } };
    }
    case "POST /revoke-others": {
      // "Log out everywhere else": every other session of this user ends, this one stays.
      if (session.userId === undefined) return { status: 401, body: { error: "login first" } };
      await sessions.revokeUser(session.userId, { except: session });
      return { status: 200, body: state() };
    }
    case "POST /logout":
      await session.logout();
      return { status: 200, body: { ok: true } };
    case "GET /csrf":
      return { status: 200, body: { token: await session.csrfToken() } };
    case "POST /transfer": {
      const ok = await session.verifyCsrf(q.get("csrf") ?? "");
      return ok ? { status: 200, body: state() } : { status: 403, body: { error: "csrf" } };
    }
    default:
      return { status: 404, body: { error: "not found" } };
  }
}

/** The documented status for a library error, or undefined (then it is a 500). */
export function statusFor(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: unknown } | null;
  switch (e?.code) {
    case "ERR_STORE_UNAVAILABLE":
    case "ERR_STORE_CLOSED":
    case "ERR_EXPRESS_STORE_UNAVAILABLE":
      return 503;
    case "ERR_SESSION_TOO_LARGE":
    case "ERR_SESSION_TOO_DEEP":
      return 413;
    case "ERR_SESSION_CONFLICT":
    case "ERR_EXPRESS_CONFLICT":
      return 409;
    case "ERR_SESSION_INVALID_ARGUMENT":
      return 400;
    default:
      return undefined;
  }
}

/** Unmapped errors seen by the apps (each became a 500), for the tests to inspect. */
export const unexpectedErrors: unknown[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.destroy();
        reject(new Error("body too large"));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function expressApp(sessions: AppSessions): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.disable("x-powered-by");
  app.use(sessionMiddleware(sessions));
  app.use((req: ExRequest, res: ExResponse, next: NextFunction) => {
    readBody(req)
      .then((body) =>
        route(
          sessions,
          req.session as unknown as AppSession,
          req.method,
          new URL(req.originalUrl, "http://x"),
          body,
        ),
      )
      .then(({ status, body }) => {
        res.status(status).json(body);
      }, next);
  });
  app.use((error: unknown, _req: ExRequest, res: ExResponse, _next: NextFunction) => {
    const status = statusFor(error);
    if (status === undefined) unexpectedErrors.push(error);
    // The adapter's outage error carries Retry-After and no-store (Express's own handler applies them).
    const headers = (error as { headers?: Record<string, string> } | null)?.headers ?? {};
    res
      .set(headers)
      .status(status ?? 500)
      .json({ error: status ?? 500 });
  });
  return app;
}

function fetchApp(sessions: AppSessions): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = withSessions(sessions, async (request, session) => {
    const { status, body } = await route(
      sessions,
      session,
      request.method,
      new URL(request.url),
      await request.text(),
    );
    return Response.json(body, { status });
  });
  return (req, res) => {
    readBody(req)
      .then((text) => {
        let request: Request;
        try {
          const headers = new Headers();
          for (let i = 0; i < req.rawHeaders.length; i += 2) {
            headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
          }
          const init: RequestInit = { method: req.method ?? "GET", headers };
          if (req.method !== "GET" && req.method !== "HEAD") init.body = text;
          request = new Request(`http://127.0.0.1${req.url ?? "/"}`, init);
        } catch {
          // The bridge's own check (as @hono/node-server does): Fetch refuses some
          // bytes Node's parser lets through. Not the library's concern.
          return new Response("bad request", { status: 400 });
        }
        return handler(request);
      })
      .then(async (response) => {
        response.headers.forEach((value, name) => {
          if (name !== "set-cookie") res.setHeader(name, value);
        });
        // One field per cookie: getSetCookie, never a joined get("set-cookie"), whose
        // ", " corrupts Expires dates (RFC 9110 §5.3 makes Set-Cookie the exception).
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) res.setHeader("set-cookie", cookies);
        res.writeHead(response.status);
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        const status = statusFor(error);
        if (status === undefined) unexpectedErrors.push(error);
        if (!res.headersSent) res.writeHead(status ?? 500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: status ?? 500 }));
      });
  };
}

export interface RunningApp {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts one app kind on 127.0.0.1 on a free port. */
export async function startApp(kind: AppKind, sessions: AppSessions): Promise<RunningApp> {
  const server = createServer(kind === "express" ? expressApp(sessions) : fetchApp(sessions));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
