/** The request meta the adapter records with the session (bearer-token reading is in the harness matrix, for every adapter). */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { BruteforceInfo } from "@tessera/session";
import {
  type AppData,
  type AppFlash,
  type AppSessions,
  cookieOf,
  makeSessions,
  send,
  serversPerTest,
} from "@tessera/test-kit";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type HonoSessionOptions, type SessionVariables, sessionMiddleware } from "../src/index.js";

const servers = serversPerTest();

function makeApp(sessions: AppSessions, options?: HonoSessionOptions) {
  const app = new Hono<{ Variables: SessionVariables<AppData, AppFlash> }>();
  app.use("*", sessionMiddleware(sessions, options));
  app.post("/login", async (c) => {
    await c.get("session").login("u_1");
    return c.text("in");
  });
  app.get("/who", (c) => {
    const s = c.get("session");
    s.set("n", (s.get("n") ?? 0) + 1);
    return c.json({ user: s.userId ?? null, n: s.get("n") });
  });
  app.get("/list", async (c) =>
    c.json(await sessions.listUserSessions(c.get("session").userId ?? "none")),
  );
  return app;
}

/** @hono/node-server's server (what its `serve` listens with) on 127.0.0.1. */
function serveNode(app: Hono<{ Variables: SessionVariables<AppData, AppFlash> }>): Promise<string> {
  return servers.listen(createAdaptorServer({ fetch: app.fetch }) as Server);
}

const BAD = `__Host-sid=${"A".repeat(43)}.k1.x`;

describe("load meta on @hono/node-server", () => {
  async function offenders(options?: HonoSessionOptions, xff?: string): Promise<BruteforceInfo[]> {
    const seen: BruteforceInfo[] = [];
    const sessions = makeSessions({
      bruteforce: { threshold: 3, window: 60 },
      onBruteforce: (i) => seen.push(i),
    });
    const base = await serveNode(makeApp(sessions, options));
    for (let i = 0; i < 3; i++) {
      await send(base, "/who", {
        cookie: BAD,
        ...(xff === undefined ? {} : { headers: { "x-forwarded-for": xff } }),
      });
    }
    return seen;
  }

  it("passes the socket's address by default, so brute-force counting works", async () => {
    const seen = await offenders();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.ip).toMatch(/127\.0\.0\.1$/);
  });

  it("ignores X-Forwarded-For unless trustProxy opts in", async () => {
    expect((await offenders(undefined, "198.51.100.7"))[0]!.ip).toMatch(/127\.0\.0\.1$/);
  });

  it.each([
    [1, "203.0.113.9, 198.51.100.7", "198.51.100.7"],
    [2, "203.0.113.9, 198.51.100.7", "203.0.113.9"],
    // A longer chain than trusted: the client-written entries are not believed.
    [1, "6.6.6.6, 203.0.113.9, 198.51.100.7", "198.51.100.7"],
    // Fewer entries than hops: the first one there is.
    [5, "198.51.100.7", "198.51.100.7"],
  ])("trustProxy %i with X-Forwarded-For %s → %s", async (hops, xff, ip) => {
    const seen = await offenders({ trustProxy: hops }, xff);
    expect(seen[0]!.ip).toBe(ip);
  });

  it("records the IP and user agent for session listings", async () => {
    const base = await serveNode(makeApp(makeSessions()));
    const login = await send(base, "/login", { method: "POST", headers: { "user-agent": "t/1" } });
    const list = await send(base, "/list", { cookie: cookieOf(login, "__Host-sid")! });
    const [row] = JSON.parse(list.body) as Array<{ ip: string; userAgent: string }>;
    expect(row!.ip).toMatch(/127\.0\.0\.1$/);
    expect(row!.userAgent).toBe("t/1");
  });

  it.each([-1, 1.5, "1", 33])("rejects trustProxy %s", (hops) => {
    expect(() => sessionMiddleware(makeSessions(), { trustProxy: hops as number })).toThrow(
      expect.objectContaining({ code: "ERR_HONO_INVALID_OPTION" }),
    );
  });
});
