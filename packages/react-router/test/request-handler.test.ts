import { describe, expect, it } from "vitest";
import {
  cookieOf,
  createTesseraSessionStorage,
  expectOutageAnswers503,
  FlakyStore,
  makeSessions,
  send,
  serversPerTest,
  startApp,
} from "./helpers.js";

const NAME = "__Host-sid";
const servers = serversPerTest();

function app(sessions = makeSessions()) {
  return servers.listen(startApp(createTesseraSessionStorage(sessions)));
}

describe("a React Router 7 app on @react-router/node over real HTTP", () => {
  it("counts, logs in with a new cookie, reads the flash once, and logs out", async () => {
    const base = await app();
    const first = await send(base, "/counter");
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ n: 1, notice: null, user: null });
    const anon = cookieOf(first, NAME);
    expect(anon).toBeDefined();
    expect(first.setCookie).toHaveLength(1);

    const second = await send(base, "/counter", { cookie: anon });
    expect(JSON.parse(second.body).n).toBe(2);

    const login = await send(base, "/login?user=ada", { method: "POST", cookie: anon });
    expect(login.status).toBe(303);
    const authed = cookieOf(login, NAME);
    // Login regenerates: a new token, and the pre-login one no longer authenticates.
    expect(authed).toBeDefined();
    expect(authed).not.toBe(anon);

    const welcome = await send(base, "/counter", { cookie: authed });
    expect(JSON.parse(welcome.body)).toEqual({ n: 3, notice: "welcome ada", user: "ada" });
    const again = await send(base, "/counter", { cookie: authed });
    expect(JSON.parse(again.body)).toEqual({ n: 4, notice: null, user: "ada" });

    const stale = await send(base, "/counter", { cookie: anon });
    expect(JSON.parse(stale.body)).toEqual({ n: 1, notice: null, user: null });

    const logout = await send(base, "/logout", { method: "POST", cookie: authed });
    expect(logout.status).toBe(303);
    expect(logout.setCookie).toHaveLength(1);
    expect(logout.setCookie[0]).toMatch(/^__Host-sid=;.*Max-Age=0/i);
    const after = await send(base, "/counter", { cookie: authed });
    expect(JSON.parse(after.body)).toEqual({ n: 1, notice: null, user: null });
  });

  it("answers a store outage with the core's 503 and sends no cookie", async () => {
    const store = new FlakyStore();
    const base = await app(makeSessions({ store }));
    const cookie = await expectOutageAnswers503(base, "/counter", store);
    store.down = false;
    expect(JSON.parse((await send(base, "/counter", { cookie })).body).n).toBe(2);
  });

  it("commitHeaders sends no-store and Vary: Cookie with the cookie, and commits nothing on HEAD", async () => {
    const base = await app();
    const got = await send(base, "/headers");
    expect(got.status).toBe(200);
    expect(got.headers["cache-control"]).toBe("no-store");
    expect(got.headers.vary).toBe("Cookie");
    const cookie = cookieOf(got, NAME);
    const head = await send(base, "/headers", { method: "HEAD", cookie });
    expect(head.status).toBe(200);
    expect(head.setCookie).toEqual([]);
    const counter = await send(base, "/counter", { cookie });
    expect(JSON.parse(counter.body).n).toBe(2);
  });
});
