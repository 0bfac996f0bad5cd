import { afterAll, describe, expect, it } from "vitest";
import { requireService } from "../../../scripts/test-env.js";
import { readConfig } from "../src/config.js";
import { type OpenedStores, openStores } from "../src/open-stores.js";
import { Client, type Running, startDemo } from "./helpers.js";

// TESSERA_STORE=redis|postgres against the services of `scripts/services up`
// (never skipped: a missing service fails with how to start it).
const opened: Array<{ stores: OpenedStores; server: Running }> = [];
afterAll(async () => {
  for (const { stores, server } of opened) {
    await server.close();
    await stores.close();
  }
});

async function flow(stores: OpenedStores): Promise<void> {
  const server = await startDemo({
    sessionStore: stores.sessionStore,
    tokenStore: stores.tokenStore,
    storeLabel: stores.label,
  });
  opened.push({ stores, server });
  const username = `store-${Date.now().toString(36)}`;
  const a = new Client(server.base);
  const b = new Client(server.base);
  await a.signUp(username, "store password");
  await b.signIn(username, "store password");
  const page = await b.get("/sessions");
  expect(page.text).toContain(`Sessions in <strong>${stores.label}</strong>`);
  expect(page.text.match(/data-testid="session"/g)).toHaveLength(2);
  expect(page.text.match(/data-testid="this-device"/g)).toHaveLength(1);
  await b.post("/sessions/revoke-others");
  expect((await a.get("/")).text).toContain('data-testid="signed-out"');
  expect((await b.get("/")).text).toContain(`Hello, ${username}`);

  const token = await fetch(`${server.base}/api/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "store password" }),
  });
  const pair = (await token.json()) as { access_token: string; refresh_token: string };
  const refreshed = await fetch(`${server.base}/api/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refresh_token: pair.refresh_token }),
  });
  expect(refreshed.status).toBe(200);
}

describe("store switch", () => {
  it("TESSERA_STORE=redis runs the demo on Redis", async () => {
    const url = await requireService("REDIS_URL");
    await flow(await openStores(readConfig({ TESSERA_STORE: "redis", REDIS_URL: url })));
  });

  it("TESSERA_STORE=postgres runs the demo on PostgreSQL", async () => {
    const url = await requireService("DATABASE_URL_PG");
    await flow(await openStores(readConfig({ TESSERA_STORE: "postgres", DATABASE_URL: url })));
  });
});
