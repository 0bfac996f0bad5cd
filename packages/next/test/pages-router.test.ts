import { createServer, type IncomingMessage, type Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSessions, type Session } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, StoreUnavailableError } from "@tessera/store";
import type { NextApiRequest, NextApiResponse } from "next";
import { apiResolver } from "next/dist/server/api-utils/node/api-resolver.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NextSessionError } from "../src/errors.js";
import { withApiSession } from "../src/pages-router.js";
import { Browser, clock, type Data, setup } from "./helpers.js";

// Real node:http requests through Next.js 16's own Pages Router API resolver,
// which adds res.status/json/send/redirect and wraps write/end per response.
const PREVIEW = {
  previewModeId: "preview-mode-id-0123456789",
  previewModeEncryptionKey: "preview-mode-encryption-key-0123456789",
  previewModeSigningKey: "preview-mode-signing-key-0123456789",
  dev: false,
};

type ApiRoute = (req: NextApiRequest, res: NextApiResponse) => Promise<void>;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Serves one API route on a free port; `config` is the route module's `export const config`. */
async function serve(route: ApiRoute, config: object = {}): Promise<string> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void apiResolver(req, res, {}, { default: route, config }, PREVIEW, false, false, "/api/t");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the demo-style routes below answer. */
async function counter(req: NextApiRequest, res: NextApiResponse, session: Session<Data>) {
  if (req.url === "/login") {
    await session.login("alice", { carryOver: ["count"] });
  } else if (req.url === "/logout") {
    await session.logout();
    return res.redirect(303, "/");
  } else {
    session.set("count", (session.get("count") ?? 0) + 1);
  }
  res.setHeader("vary", "Accept");
  res.setHeader("set-cookie", "theme=dark; Path=/");
  res.json({ count: session.get("count"), user: session.userId, rejected: session.rejected });
}

function sessionCookies(response: Response): string[] {
  return response.headers.getSetCookie().filter((line) => line.startsWith("__Host-sid="));
}

describe("withApiSession (Pages Router API routes)", () => {
  it("counts, signs in and out across requests, each Set-Cookie its own field after the app's", async () => {
    const { sessions } = setup();
    const base = await serve(withApiSession(sessions, counter));
    const browser = new Browser();
    const get = async (path: string, method = "GET") => {
      const response = await fetch(base + path, {
        method,
        headers: { cookie: browser.header() },
        redirect: "manual",
      });
      browser.apply(response.headers.getSetCookie());
      return response;
    };

    const first = await get("/count");
    expect(await first.json()).toEqual({ count: 1 });
    expect(first.headers.getSetCookie()[0]).toBe("theme=dark; Path=/");
    expect(sessionCookies(first)).toHaveLength(1);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("vary")).toBe("Accept, Cookie");

    expect(await (await get("/count")).json()).toEqual({ count: 2 });
    const login = await get("/login", "POST");
    expect(await login.json()).toEqual({ count: 2, user: "alice" });
    expect(sessionCookies(login)).toHaveLength(1); // a new id on sign-in
    expect(await (await get("/count")).json()).toEqual({ count: 3, user: "alice" });

    const copied = browser.header();
    const logout = await get("/logout", "POST");
    expect(logout.status).toBe(303);
    expect(logout.headers.get("location")).toBe("/");
    expect(sessionCookies(logout)[0]).toContain("Max-Age=0");
    expect(await (await get("/count")).json()).toEqual({ count: 1 });
    // The cookie from before the logout no longer names a session.
    const replayed = await fetch(`${base}/count`, { headers: { cookie: copied } });
    expect(await replayed.json()).toEqual({ count: 1, rejected: "unknown_id" });
  });

  it("answers 503 with Retry-After and no cookie when the store is down at commit", async () => {
    const { sessions, memory } = setup();
    memory.set = async () => {
      throw new StoreUnavailableError("injected outage");
    };
    const response = await fetch(await serve(withApiSession(sessions, counter)));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([]); // not even the app's own
    expect(await response.text()).toBe("Service Unavailable");
  });

  it("answers 503 without running the handler when the store is down at load", async () => {
    const { sessions, memory } = setup();
    const base = await serve(withApiSession(sessions, counter));
    const browser = new Browser().apply((await fetch(base)).headers.getSetCookie());
    memory.get = async () => {
      throw new StoreUnavailableError("injected outage");
    };
    const handler = vi.fn();
    const down = await serve(withApiSession(sessions, handler));
    const response = await fetch(down, { headers: { cookie: browser.header() } });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(handler).not.toHaveBeenCalled();
  });

  it("commits nothing on HEAD, OPTIONS or a 304 from Next.js's ETag check", async () => {
    const { sessions, calls } = setup();
    const base = await serve(
      withApiSession(sessions, (_req, res, session) => {
        session.set("count", (session.get("count") ?? 0) + 1);
        res.setHeader("x-count", String(session.get("count")));
        res.send("the same body every time");
      }),
    );
    for (const method of ["HEAD", "OPTIONS"]) {
      const response = await fetch(base, { method });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(calls.set).toBe(0);

    const browser = new Browser();
    const first = await fetch(base);
    browser.apply(first.headers.getSetCookie());
    const etag = first.headers.get("etag") ?? "";
    expect(calls.set).toBe(1);
    const cached = await fetch(base, {
      // An explicit Cache-Control, or fetch adds "no-cache" and Next.js skips its ETag check.
      headers: { cookie: browser.header(), "if-none-match": etag, "cache-control": "max-age=0" },
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.getSetCookie()).toEqual([]);
    expect(calls.set).toBe(1);
    // The visit the 304 answered was not recorded.
    const next = await fetch(base, { headers: { cookie: browser.header() } });
    expect(next.headers.get("x-count")).toBe("2");
  });

  it("gives a tampered cookie a fresh session with the reason, never an error", async () => {
    const { sessions } = setup();
    const base = await serve(withApiSession(sessions, counter));
    const response = await fetch(base, { headers: { cookie: "__Host-sid=forged.value" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ count: 1 });
    expect(sessionCookies(response)).toHaveLength(1);
  });

  it("merges a headers object given to writeHead instead of letting it replace the session's", async () => {
    const { sessions } = setup();
    const base = await serve(
      withApiSession(sessions, (_req, res, session) => {
        session.set("note", "x");
        res.writeHead(201, { "Set-Cookie": "a=1", Vary: "Accept", "Cache-Control": "public" });
        res.end("made");
      }),
    );
    const response = await fetch(base);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()[0]).toBe("a=1");
    expect(sessionCookies(response)).toHaveLength(1);
    expect(response.headers.get("vary")).toBe("Accept, Cookie");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe("made");
  });

  it("commits a response written after the handler returned", async () => {
    const { sessions } = setup();
    const base = await serve(
      withApiSession(sessions, (_req, res, session) => {
        session.set("count", 7);
        setTimeout(() => res.end("later"), 10);
      }),
      // Next.js's own opt-out of its "resolved without sending a response" warning.
      { api: { externalResolver: true } },
    );
    const response = await fetch(base);
    expect(await response.text()).toBe("later");
    expect(sessionCookies(response)).toHaveLength(1);
  });

  it("commits nothing when the handler throws, and maps a step-up refusal to 401", async () => {
    const { sessions, calls } = setup();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = await serve(
      withApiSession(sessions, (_req, _res, session) => {
        session.set("count", 1);
        throw new Error("handler bug");
      }),
    );
    const response = await fetch(failing);
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(calls.set).toBe(0);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();

    const stepUp = await serve(
      withApiSession(sessions, (_req, res, session) => {
        session.requireFresh(300);
        res.json({ secret: true });
      }),
    );
    const refused = await fetch(stepUp);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(refused.headers.getSetCookie()).toEqual([]);
  });

  it("lets Next.js answer 500, without the dropped body's Content-Length, when a commit fails for another reason", async () => {
    const { sessions, memory } = setup();
    memory.set = async () => {
      throw new Error("a store bug");
    };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await fetch(await serve(withApiSession(sessions, counter)));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it("reads the Authorization header in bearer mode and hands the token out in the body", async () => {
    const time = clock();
    const bearer = createSessions<Data>({
      keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
      store: new MemoryStore({ now: time.now, sweepIntervalMs: 0 }),
      tokenMode: "authorization",
      now: time.now,
    });
    const base = await serve(
      withApiSession(bearer, async (req, res, session) => {
        if (req.url === "/login") await session.login("bob");
        res.json({ user: session.userId, token: session.bearerToken });
      }),
    );
    const login = await fetch(`${base}/login`, { method: "POST" });
    const { token } = (await login.json()) as { token: string };
    expect(token).toEqual(expect.any(String));
    expect(login.headers.getSetCookie()).toEqual([]);
    expect(login.headers.get("cache-control")).toBe("no-store");
    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ user: "bob" });
    // A cookie is not where a bearer-mode session travels.
    const cookie = await fetch(`${base}/me`, { headers: { cookie: `__Host-sid=${token}` } });
    expect(await cookie.json()).toEqual({});
  });

  it("hooks each response itself and leaves Node's ServerResponse prototype alone", async () => {
    const { sessions } = setup();
    const { end, writeHead } = ServerResponse.prototype;
    let own = false;
    const base = await serve(
      withApiSession(sessions, (_req, res) => {
        own = Object.hasOwn(res, "writeHead");
        res.end();
      }),
    );
    await fetch(base);
    expect(own).toBe(true);
    expect(ServerResponse.prototype.end).toBe(end);
    expect(ServerResponse.prototype.writeHead).toBe(writeHead);
  });

  it("refuses a bad manager, handler or meta with a typed error naming it", () => {
    const { sessions } = setup();
    const code = { code: "ERR_NEXT_INVALID_OPTION" };
    expect(() => withApiSession({} as never, () => {})).toThrow(NextSessionError);
    expect(() => withApiSession({} as never, () => {})).toThrow(/sessions is invalid/);
    expect(() => withApiSession(sessions, "nope" as never)).toThrow(/handler is invalid/);
    expect(() => withApiSession(sessions, () => {}, null as never)).toThrow(/options is invalid/);
    let caught: unknown;
    try {
      withApiSession(sessions, () => {}, { meta: "ip" as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject(code);
    expect((caught as Error).message).toContain("option meta");
  });

  it("records the meta the app derives from the request", async () => {
    const { sessions } = setup();
    const base = await serve(
      withApiSession(
        sessions,
        async (_req, res, session) => {
          await session.login("carol");
          res.end();
        },
        { meta: (req) => ({ ip: req.socket.remoteAddress }) },
      ),
    );
    await fetch(base, { method: "POST" });
    const [row] = await sessions.listUserSessions("carol");
    expect(row?.ip).toBe("127.0.0.1");
  });
});
