/** The client IP reaches brute-force counting (device details and bearer-token reading are in the harness matrix, for every adapter). */
import type { BruteforceInfo } from "@tessera/session";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { fastifySessions } from "../src/index.js";
import { type AppSessions, makeSessions, send } from "./helpers.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(sessions: AppSessions): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await app.register(fastifySessions, { sessions });
  app.get("/who", async (request) => {
    request.session.set("n", (request.session.get("n") ?? 0) + 1);
    return { user: request.session.userId ?? null, n: request.session.get("n") };
  });
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
});
