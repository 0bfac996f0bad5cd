/** How the adapter loads the session: which header carries the token, and the request meta it records. */
import type { Server } from "node:http";
import type { BruteforceInfo } from "@tessera/session";
import express5 from "express";
import { afterEach, describe, expect, it } from "vitest";
import { sessionMiddleware } from "../src/index.js";
import { close, cookieOf, makeSessions, send } from "./helpers.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

async function start(sessions: ReturnType<typeof makeSessions>): Promise<string> {
  const app = express5();
  app.use(sessionMiddleware(sessions));
  app.post("/login", async (req, res) => {
    await req.session.login("u_1");
    // Bearer mode: the app hands the token out in its own body.
    res.json({ token: req.session.bearerToken ?? null });
  });
  app.get("/who", (req, res) => {
    req.session.set("n", (req.session.get("n") ?? 0) + 1);
    res.json({ user: req.session.userId ?? null, n: req.session.get("n") });
  });
  app.get("/list", async (req, res) => {
    res.json(await sessions.listUserSessions(req.session.userId ?? "none"));
  });
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((r) => server.once("listening", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe("tokenMode: authorization through the adapter", () => {
  it("reads only Authorization: Bearer, never sets a cookie, token from req.session.bearerToken", async () => {
    const sessions = makeSessions({ tokenMode: "authorization" });
    expect(sessions.tokenMode).toBe("authorization");
    const base = await start(sessions);
    const login = await send(base, "/login", { method: "POST" });
    expect(login.setCookie).toEqual([]);
    expect(login.headers["cache-control"]).toBe("no-store");
    const { token } = JSON.parse(login.body) as { token: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}\.k1\./);
    const who = await send(base, "/who", { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(who.body)).toEqual({ user: "u_1", n: 1 });
    expect(who.setCookie).toEqual([]);
    // The same token in a cookie is not read: the browser would send it on its own, so CSRF would be back.
    const cookie = await send(base, "/who", { cookie: `__Host-sid=${token}` });
    expect(JSON.parse(cookie.body).user).toBeNull();
    expect(cookie.setCookie).toEqual([]);
  });
});

describe("load meta", () => {
  it("passes the client IP, so brute-force counting works", async () => {
    const seen: BruteforceInfo[] = [];
    const sessions = makeSessions({
      bruteforce: { threshold: 3, window: 60 },
      onBruteforce: (info) => seen.push(info),
    });
    const base = await start(sessions);
    for (let i = 0; i < 3; i++)
      await send(base, "/who", { cookie: `__Host-sid=${"A".repeat(43)}.k1.x` });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.ip).toMatch(/127\.0\.0\.1$/);
  });

  it("records the IP and user agent for session listings", async () => {
    const base = await start(makeSessions());
    const login = await send(base, "/login", { method: "POST", headers: { "user-agent": "t/1" } });
    const list = await send(base, "/list", { cookie: cookieOf(login, "__Host-sid")! });
    const [row] = JSON.parse(list.body) as Array<{ ip: string; userAgent: string }>;
    expect(row!.ip).toMatch(/127\.0\.0\.1$/);
    expect(row!.userAgent).toBe("t/1");
  });
});
