import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type Running, startDemo } from "./helpers.js";

let server: Running;
beforeAll(async () => {
  server = await startDemo();
  await new Client(server.base).signUp("api-user", "api password 1");
});
afterAll(() => server.close());

async function post(path: string, body: unknown) {
  const response = await fetch(server.base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json().catch(() => null)) as Record<string, unknown> };
}

function me(token: string | undefined) {
  return fetch(`${server.base}/api/me`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe("token API", () => {
  it("issues a pair for a password, serves /api/me with the Bearer token, and never sets a cookie", async () => {
    const { response, json } = await post("/api/token", {
      username: "api-user",
      password: "api password 1",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(json).toMatchObject({ token_type: "Bearer", expires_in: 600 });
    const reply = await me(json.access_token as string);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ username: "api-user" });
  });

  it.each([
    [{ username: "api-user", password: "wrong" }, 400, "invalid_grant"],
    [{ username: "nobody", password: "api password 1" }, 400, "invalid_grant"],
    [{ username: "api-user" }, 400, "invalid_request"],
    [{ username: ["api-user"], password: "api password 1" }, 400, "invalid_request"],
  ])("refuses %j → %i %s", async (body, status, error) => {
    const { response, json } = await post("/api/token", body);
    expect(response.status).toBe(status);
    expect(json).toEqual({ error });
  });

  it("rotates refresh tokens and revokes the family when an old one comes back", async () => {
    const { json: first } = await post("/api/token", {
      username: "api-user",
      password: "api password 1",
    });
    const { response, json: second } = await post("/api/refresh", {
      refresh_token: first.refresh_token,
    });
    expect(response.status).toBe(200);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reused = await post("/api/refresh", { refresh_token: first.refresh_token });
    expect(reused.response.status).toBe(400);
    expect(reused.json).toEqual({ error: "invalid_grant" });
    // Reuse revoked the family: the newer refresh token and its access token are dead too.
    expect(
      (await post("/api/refresh", { refresh_token: second.refresh_token })).response.status,
    ).toBe(400);
    expect((await me(second.access_token as string)).status).toBe(401);
  });

  it("answers RFC 6750 challenges for a missing or bad token", async () => {
    const missing = await me(undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="tessera-demo"');
    const malformed = await me("not.a.jwt");
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("www-authenticate")).toContain('error="invalid_request"');
    const { json } = await post("/api/token", { username: "api-user", password: "api password 1" });
    const token = json.access_token as string;
    const forged = await me(`${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  // Regression: `Authorization: Basic ...` answered 400 invalid_request; a
  // request lacking Bearer authentication gets 401 and a bare challenge (RFC 6750 §3.1).
  it("answers another Authorization scheme with 401 and a Bearer challenge without error code", async () => {
    for (const authorization of [
      "Basic YXBpLXVzZXI6YXBpIHBhc3N3b3JkIDE=",
      'Digest username="api-user"',
    ]) {
      const reply = await fetch(`${server.base}/api/me`, { headers: { authorization } });
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toBe('Bearer realm="tessera-demo"');
      expect(reply.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("logs out one refresh token", async () => {
    const { json } = await post("/api/token", { username: "api-user", password: "api password 1" });
    const out = await post("/api/logout", { refresh_token: json.refresh_token });
    expect(out.response.status).toBe(204);
    expect(
      (await post("/api/refresh", { refresh_token: json.refresh_token })).response.status,
    ).toBe(400);
  });

  it("'sign out everywhere else' on the web also ends API access", async () => {
    const { json } = await post("/api/token", { username: "api-user", password: "api password 1" });
    expect((await me(json.access_token as string)).status).toBe(200);
    const web = new Client(server.base);
    await web.signIn("api-user", "api password 1");
    await web.get("/sessions");
    expect((await web.post("/sessions/revoke-others")).status).toBe(303);
    expect((await me(json.access_token as string)).status).toBe(401);
    expect(
      (await post("/api/refresh", { refresh_token: json.refresh_token })).response.status,
    ).toBe(400);
  });

  it("answers unknown API paths with JSON 404", async () => {
    const response = await fetch(`${server.base}/api/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });
});
