/**
 * Ids only from the cookie, or only from `Authorization: Bearer`, never from a
 * URL (OWASP "Session ID Exchange Mechanism": used vs. accepted).
 */
import { describe, expect, it } from "vitest";
import { readBearer } from "../src/lib/load.js";
import { withSessions } from "../src/with-sessions.js";
import { setup } from "./helpers.js";

const NAME = "__Host-sid";

async function bearerSession() {
  const t = setup({ tokenMode: "authorization" });
  const s = await t.sessions.load(null);
  await s.login("u1");
  const early = s.bearerToken;
  const result = await t.sessions.commitHeaders(s);
  return { ...t, token: result.token!, early, result };
}

describe("tokenMode: authorization", () => {
  it("login hands out a token, not a cookie; Bearer finds the session", async () => {
    const { sessions, token, early, result } = await bearerSession();
    expect(result.setCookie).toEqual([]);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}\.k1\.[A-Za-z0-9_-]+$/);
    expect(early).toBe(token);
    const req = new Request("https://api.test/", { headers: { authorization: `Bearer ${token}` } });
    const s = await sessions.load(req);
    expect(s.userId).toBe("u1");
    // The client's token stays valid: nothing new to hand out.
    expect(s.bearerToken).toBeUndefined();
    s.set("n", 1);
    expect(await sessions.commitHeaders(s)).toEqual({ setCookie: [], headers: {} });
  });

  it.each([
    ["bearer (lower case)", (t: string) => `bearer ${t}`],
    ["BEARER, two spaces", (t: string) => `BEARER  ${t}`],
    ["a string source is the header value", (t: string) => `Bearer ${t}`],
  ])("accepted: %s", async (_name, header) => {
    const { sessions, token } = await bearerSession();
    expect((await sessions.load(header(token))).userId).toBe("u1");
    expect((await sessions.load(new Headers({ authorization: header(token) }))).userId).toBe("u1");
  });

  it("ignores the cookie, ?sid=, X-Session-Id, a form field and other schemes", async () => {
    const { sessions, token } = await bearerSession();
    const requests = [
      new Request("https://api.test/", { headers: { cookie: `${NAME}=${token}` } }),
      new Request(`https://api.test/?sid=${token}`),
      new Request(`https://api.test/?access_token=${token}`),
      new Request("https://api.test/", { headers: { "x-session-id": token } }),
      new Request("https://api.test/", {
        method: "POST",
        body: new URLSearchParams({ sid: token }),
      }),
      new Request("https://api.test/", { headers: { authorization: `Basic ${token}` } }),
      new Request("https://api.test/", { headers: { authorization: token } }),
    ];
    for (const req of requests) {
      const s = await sessions.load(req);
      expect(s.userId).toBeUndefined();
      expect(s.rejected).toBeUndefined();
    }
  });

  it.each([
    ["token with trailing garbage", (t: string) => `Bearer ${t} x`],
    ["empty", () => "Bearer "],
    // One MAC character changed for a different one: a fixed "AA" could be the original.
    [
      "tampered",
      (t: string) => `Bearer ${t.slice(0, -5)}${t.at(-5) === "A" ? "B" : "A"}${t.slice(-4)}`,
    ],
    ["two headers joined", (t: string) => `Bearer ${t}, Bearer ${t}`],
  ])("rejected: %s", async (_name, header) => {
    const { sessions, token } = await bearerSession();
    const s = await sessions.load(header(token));
    expect(s.userId).toBeUndefined();
    expect(["malformed", "bad_signature"]).toContain(s.rejected);
  });

  it("regenerate/new session hand out a new token; logout sends nothing", async () => {
    const { sessions, token } = await bearerSession();
    const s = await sessions.load(`Bearer ${token}`);
    await s.regenerate();
    const next = (await sessions.commitHeaders(s)).token!;
    expect(next).not.toBe(token);
    expect((await sessions.load(`Bearer ${token}`)).userId).toBeUndefined();
    const t = await sessions.load(`Bearer ${next}`);
    await t.logout();
    expect(await sessions.commitHeaders(t)).toEqual({ setCookie: [], headers: {} });
    const anon = await sessions.load(null);
    expect(anon.bearerToken).toBeUndefined();
    anon.set("n", 1);
    expect((await sessions.commitHeaders(anon)).token).toBe(anon.bearerToken);
    expect(anon.bearerToken).toBeDefined();
  });

  it("withSessions: the handler can put session.bearerToken into the body", async () => {
    const { sessions } = setup({ tokenMode: "authorization" });
    const handler = withSessions(sessions, async (_req, s) => {
      await s.login("u9");
      return Response.json({ token: s.bearerToken });
    });
    const res = await handler(new Request("https://api.test/login", { method: "POST" }));
    expect(res.headers.getSetCookie()).toEqual([]);
    const { token } = (await res.json()) as { token: string };
    expect((await sessions.load(`Bearer ${token}`)).userId).toBe("u9");
  });

  it("cookie mode never exposes a bearer token; stateless refuses authorization mode", async () => {
    const { request } = setup();
    const { session } = await request((s) => s.login("u1"));
    expect(session.bearerToken).toBeUndefined();
    expect(() => setup({ tokenMode: "authorization" }, true)).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
    expect(() => setup({ tokenMode: "query" as "cookie" })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });

  it.each([
    ["", undefined],
    ["Basic abc", undefined],
    ["Bearer", ""],
    ["Bearer abc", "abc"],
    ["bEaReR   abc  ", "abc"],
    ["Bearer a b", ""],
  ])("readBearer(%j) → %j", (header, expected) => {
    expect(readBearer(header)).toBe(expected);
  });
});
