/** The request meta the adapter records with the session (bearer-token reading is in the harness matrix, for every adapter). */
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
    return "in";
  });
  app.get("/who", async (request) => {
    request.session.set("n", (request.session.get("n") ?? 0) + 1);
    return { user: request.session.userId ?? null, n: request.session.get("n") };
  });
  app.get("/list", async (request) => sessions.listUserSessions(request.session.userId ?? "none"));
  return app.listen({ port: 0, host: "127.0.0.1" });
}

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
