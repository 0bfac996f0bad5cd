/** How the adapter loads the session: which header carries the token, and the request meta it records. */
import type { BruteforceInfo } from "@tessera/session";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { fastifySessions } from "../src/index.js";
import { cookieOf, makeSessions, send } from "./helpers.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(sessions: ReturnType<typeof makeSessions>): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await app.register(fastifySessions, { sessions });
  app.post("/login", async (request) => {
    await request.session.login("u_1");
    // Bearer mode: the app hands the token out in its own body.
    return { token: request.session.bearerToken ?? null };
  });
  app.get("/who", async (request) => {
    request.session.set("n", (request.session.get("n") ?? 0) + 1);
    return { user: request.session.userId ?? null, n: request.session.get("n") };
  });
  app.get("/list", async (request) => sessions.listUserSessions(request.session.userId ?? "none"));
  return app.listen({ port: 0, host: "127.0.0.1" });
}

describe("tokenMode: authorization through the plugin", () => {
  it("reads only Authorization: Bearer, never sets a cookie, token from request.session.bearerToken", async () => {
    const base = await start(makeSessions({ tokenMode: "authorization" }));
    const login = await send(base, "/login", { method: "POST" });
    expect(login.setCookie).toEqual([]);
    expect(login.headers["cache-control"]).toBe("no-store");
    const { token } = JSON.parse(login.body) as { token: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}\.k1\./);
    const who = await send(base, "/who", { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(who.body)).toEqual({ user: "u_1", n: 1 });
    expect(who.setCookie).toEqual([]);
    const cookie = await send(base, "/who", { cookie: `__Host-sid=${token}` });
    expect(JSON.parse(cookie.body).user).toBeNull();
    expect(cookie.setCookie).toEqual([]);
  });
});

describe("load meta", () => {
  it("passes request.ip, so brute-force counting works", async () => {
    const seen: BruteforceInfo[] = [];
    const base = await start(
      makeSessions({ bruteforce: { threshold: 3, window: 60 }, onBruteforce: (i) => seen.push(i) }),
    );
    for (let i = 0; i < 3; i++) {
      await send(base, "/who", { cookie: `__Host-sid=${"A".repeat(43)}.k1.x` });
    }
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
