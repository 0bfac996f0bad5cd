/** The client IP reaches brute-force counting (device details and bearer-token reading are in the harness matrix, for every adapter). */
import { createServer } from "node:http";
import type { BruteforceInfo } from "@tessera/session";
import express5 from "express";
import { describe, expect, it } from "vitest";
import { sessionMiddleware } from "../src/index.js";
import { type AppSessions, makeSessions, send, serversPerTest } from "./helpers.js";

const servers = serversPerTest();

async function start(sessions: AppSessions): Promise<string> {
  const app = express5();
  app.use(sessionMiddleware(sessions));
  app.get("/who", (req, res) => {
    req.session.set("n", (req.session.get("n") ?? 0) + 1);
    res.json({ user: req.session.userId ?? null, n: req.session.get("n") });
  });
  return servers.listen(createServer(app));
}

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
});
