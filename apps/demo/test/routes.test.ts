import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, type Running, startDemo } from "./helpers.js";

let server: Running;
beforeAll(async () => {
  server = await startDemo();
});
afterAll(() => server.close());

let n = 0;
/** A fresh username per test, so tests do not depend on each other. */
function name(prefix: string): string {
  n += 1;
  return `${prefix}-${n}`;
}
const PASSWORD = "correct horse battery";

describe("pages", () => {
  it("shows the signed-out page without creating a session (lazy creation)", async () => {
    const reply = await new Client(server.base).get("/");
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('data-testid="signed-out"');
    expect(reply.setCookie).toEqual([]);
    expect(reply.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(reply.headers.get("x-frame-options")).toBe("DENY");
    expect(reply.headers.get("cache-control")).toBe("no-store");
  });

  it("serves the stylesheet without touching sessions", async () => {
    const reply = await new Client(server.base).get("/assets/style.css");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/css/);
    expect(reply.setCookie).toEqual([]);
  });

  it("answers 404 with a page", async () => {
    const reply = await new Client(server.base).get("/nope");
    expect(reply.status).toBe(404);
    expect(reply.text).toContain("Page not found");
  });
});

describe("sign up and sign in", () => {
  it("signs up with a new session token and the secure cookie flags", async () => {
    const client = new Client(server.base);
    await client.get("/signup");
    const anonymous = client.jar.get("__Host-sid");
    expect(anonymous).toBeDefined();
    const user = name("alice");
    const reply = await client.post("/signup", { username: user, password: PASSWORD });
    expect(reply.status).toBe(303);
    expect(reply.location).toBe("/");
    expect(reply.setCookie).toHaveLength(1);
    expect(reply.setCookie[0]).toMatch(
      /^__Host-sid=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    // Fixation defence: the pre-login token is replaced.
    expect(client.jar.get("__Host-sid")).not.toBe(anonymous);
    const home = await client.get("/");
    expect(home.text).toContain(`Hello, ${user}`);
    expect(home.text).toContain("Account created");
    expect(home.text).toContain('data-testid="created"');
    expect(home.text).toContain('data-testid="expires"');
    // The flash is shown once.
    expect((await client.get("/")).text).not.toContain("Account created");
  });

  it("refuses a taken username, a short password and a bad username, escaping what was typed", async () => {
    const client = new Client(server.base);
    const user = name("bob");
    expect((await client.signUp(user, PASSWORD)).status).toBe(303);
    const other = new Client(server.base);
    const taken = await other.signUp(user.toUpperCase(), PASSWORD);
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("That username is taken.");
    expect((await other.signUp(name("carol"), "short")).status).toBe(400);
    const hostile = await other.signUp("<script>alert(1)</script>", PASSWORD);
    expect(hostile.status).toBe(400);
    expect(hostile.text).not.toContain("<script>alert(1)</script>");
    expect(hostile.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("gives one answer for a wrong password and an unknown user", async () => {
    const user = name("dave");
    await new Client(server.base).signUp(user, PASSWORD);
    const wrong = await new Client(server.base).signIn(user, "wrong password");
    const unknown = await new Client(server.base).signIn(name("nobody"), PASSWORD);
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.text).toContain("Wrong username or password.");
    }
    const ok = await new Client(server.base).signIn(user.toUpperCase(), PASSWORD);
    expect(ok.status).toBe(303);
  });

  it.each([
    ["/sessions", "/sessions"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
  ])("after sign-in goes back to next=%s only on this site (→ %s)", async (next, expected) => {
    const user = name("erin");
    await new Client(server.base).signUp(user, PASSWORD);
    const client = new Client(server.base);
    await client.get("/signin");
    const reply = await client.post("/signin", { username: user, password: PASSWORD, next });
    expect(reply.location).toBe(expected);
  });

  it("keep me signed in: a persistent cookie only when ticked, kept on later requests", async () => {
    const user = name("kim");
    await new Client(server.base).signUp(user, PASSWORD);
    const plain = new Client(server.base);
    await plain.get("/signin");
    const once = await plain.post("/signin", { username: user, password: PASSWORD });
    expect(once.setCookie[0]).not.toMatch(/Max-Age/);
    const kept = new Client(server.base);
    const form = await kept.get("/signin");
    expect(form.text).toContain('name="remember"');
    const login = await kept.post("/signin", {
      username: user,
      password: PASSWORD,
      remember: "on",
    });
    expect(login.status).toBe(303);
    // The idle timeout the demo runs with by default (30 min), never longer.
    const age = Number(/Max-Age=(\d+)/.exec(login.setCookie[0]!)?.[1]);
    expect(age).toBeGreaterThan(1700);
    expect(age).toBeLessThanOrEqual(1800);
    const counter = await kept.post("/counter", { op: "increment" });
    expect(counter.setCookie[0]).toMatch(/Max-Age=\d+/);
  });

  it("signs out: the cookie is cleared and a replayed copy is dead (server-side revocation)", async () => {
    const client = new Client(server.base);
    await client.signUp(name("frank"), PASSWORD);
    const copy = client.jar.get("__Host-sid")!;
    await client.get("/");
    const reply = await client.post("/signout");
    expect(reply.status).toBe(303);
    expect(reply.setCookie[0]).toMatch(/^__Host-sid=; .*Max-Age=0/);
    const thief = new Client(server.base);
    thief.jar.set("__Host-sid", copy);
    expect((await thief.get("/")).text).toContain('data-testid="signed-out"');
  });
});

describe("CSRF", () => {
  const routes = [
    "/signup",
    "/signin",
    "/signout",
    "/counter",
    "/sessions/revoke",
    "/sessions/revoke-others",
    "/reauth",
    "/account/password",
  ];

  it.each(routes)("POST %s without a CSRF token → 403", async (route) => {
    const client = new Client(server.base);
    await client.signUp(name("csrf"), PASSWORD);
    const reply = await client.post(route, { _csrf: "" });
    expect(reply.status).toBe(403);
    expect(reply.text).toContain("This form has expired");
  });

  it("refuses a forged token, another session's token and a cross-site POST; the counter is unchanged", async () => {
    const victim = new Client(server.base);
    await victim.signUp(name("victim"), PASSWORD);
    await victim.get("/");
    const attacker = new Client(server.base);
    await attacker.signUp(name("attacker"), PASSWORD);
    await attacker.get("/");
    const forged = [
      { _csrf: "demo.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
      { _csrf: attacker.csrf },
    ];
    for (const fields of forged) {
      expect((await victim.post("/counter", fields)).status).toBe(403);
    }
    const crossSite = await victim.post("/counter", {}, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect((await victim.get("/")).text).toMatch(/data-testid="counter">0</);
    // The genuine token works, and same-origin Fetch Metadata is fine.
    const ok = await victim.post("/counter", {}, { "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(303);
    expect((await victim.get("/")).text).toMatch(/data-testid="counter">1</);
  });

  it("changes the CSRF token at sign-in (it is bound to the session token)", async () => {
    const client = new Client(server.base);
    await client.get("/signin");
    const before = client.csrf;
    const user = name("grace");
    await new Client(server.base).signUp(user, PASSWORD);
    await client.post("/signin", { username: user, password: PASSWORD });
    await client.get("/");
    expect(client.csrf).not.toBe(before);
    expect((await client.post("/counter", { _csrf: before })).status).toBe(403);
  });
});

describe("counter", () => {
  it("increments and resets, and needs a signed-in user", async () => {
    const client = new Client(server.base);
    await client.signUp(name("henry"), PASSWORD);
    await client.get("/");
    await client.post("/counter", { op: "increment" });
    await client.post("/counter", { op: "increment" });
    expect((await client.get("/")).text).toMatch(/data-testid="counter">2</);
    await client.post("/counter", { op: "reset" });
    expect((await client.get("/")).text).toMatch(/data-testid="counter">0</);
    const anonymous = new Client(server.base);
    await anonymous.get("/signin");
    const reply = await anonymous.post("/counter");
    expect(reply.status).toBe(303);
    expect(reply.location).toBe("/signin");
  });
});

describe("your sessions", () => {
  it("lists both devices, marks this one, revokes the other by id", async () => {
    const user = name("ivy");
    const laptop = new Client(server.base, "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0");
    const phone = new Client(
      server.base,
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1",
    );
    await laptop.signUp(user, PASSWORD);
    await phone.signIn(user, PASSWORD);
    const page = await laptop.get("/sessions");
    expect(page.text.match(/data-testid="session"/g)).toHaveLength(2);
    expect(page.text.match(/data-testid="this-device"/g)).toHaveLength(1);
    expect(page.text).toContain("Firefox on Linux");
    expect(page.text).toContain("Safari on iOS");
    const ids = [...page.text.matchAll(/name="id" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(1); // no revoke button for this device
    const reply = await laptop.post("/sessions/revoke", { id: ids[0]! });
    expect(reply.location).toBe("/sessions");
    expect((await laptop.get("/sessions")).text).toContain("Session revoked.");
    expect((await phone.get("/")).text).toContain('data-testid="signed-out"');
    expect((await laptop.get("/")).text).toContain(`Hello, ${user}`);
  });

  it("cannot revoke another user's session", async () => {
    const mallory = new Client(server.base);
    await mallory.signUp(name("mallory"), PASSWORD);
    const judy = new Client(server.base);
    const judyName = name("judy");
    await judy.signUp(judyName, PASSWORD);
    const judyId = (
      await server.demo.sessions.listUserSessions(server.demo.users.findByUsername(judyName)!.id)
    )[0]!.id;
    await mallory.get("/sessions");
    await mallory.post("/sessions/revoke", { id: judyId });
    expect((await mallory.get("/sessions")).text).toContain("That session had already ended.");
    expect((await judy.get("/")).text).toContain(`Hello, ${judyName}`);
  });

  it("signs out everywhere else and keeps this session", async () => {
    const user = name("ken");
    const a = new Client(server.base);
    const b = new Client(server.base);
    const c = new Client(server.base);
    await a.signUp(user, PASSWORD);
    await b.signIn(user, PASSWORD);
    await c.signIn(user, PASSWORD);
    await c.get("/sessions");
    const reply = await c.post("/sessions/revoke-others");
    expect(reply.location).toBe("/sessions");
    expect((await c.get("/sessions")).text).toContain("Signed out 2 other sessions");
    expect((await a.get("/")).text).toContain('data-testid="signed-out"');
    expect((await b.get("/")).text).toContain('data-testid="signed-out"');
    expect((await c.get("/")).text).toContain(`Hello, ${user}`);
  });

  it("sends signed-out visitors to sign in and back", async () => {
    const reply = await new Client(server.base).get("/sessions");
    expect(reply.status).toBe(303);
    expect(reply.location).toBe("/signin?next=%2Fsessions");
  });
});

describe("step-up for the password change", () => {
  let clock = Date.now();
  let stepped: Running;
  beforeAll(async () => {
    stepped = await startDemo({ now: () => clock, freshFor: 300 });
  });
  afterAll(() => stepped.close());

  it("redirects a stale sign-in to /reauth, then lets the change through", async () => {
    const client = new Client(stepped.base);
    const other = new Client(stepped.base);
    await client.signUp("nina", PASSWORD);
    await other.signIn("nina", PASSWORD);
    // Fresh sign-in: the page opens.
    expect((await client.get("/account/password")).status).toBe(200);

    clock += 301_000;
    const stale = await client.get("/account/password");
    expect(stale.status).toBe(303);
    expect(stale.location).toBe("/reauth?next=%2Faccount%2Fpassword");
    // The POST is refused the same way, and the password stays.
    const post = await client.post("/account/password", { password: "a new password" });
    expect(post.location).toBe("/reauth?next=%2Faccount%2Fpassword");
    expect((await new Client(stepped.base).signIn("nina", PASSWORD)).status).toBe(303);

    const reauth = await client.get("/reauth?next=%2Faccount%2Fpassword");
    expect(reauth.text).toContain("Please confirm your password to continue.");
    expect(
      (await client.post("/reauth", { password: "wrong", next: "/account/password" })).status,
    ).toBe(401);
    const ok = await client.post("/reauth", { password: PASSWORD, next: "/account/password" });
    expect(ok.location).toBe("/account/password");
    expect((await client.get("/account/password")).status).toBe(200);

    const changed = await client.post("/account/password", { password: "a new password" });
    expect(changed.location).toBe("/");
    expect((await client.get("/")).text).toContain(
      "Password changed. 2 other sessions were signed out.",
    );
    expect((await other.get("/")).text).toContain('data-testid="signed-out"');
    expect((await new Client(stepped.base).signIn("nina", PASSWORD)).status).toBe(401);
    expect((await new Client(stepped.base).signIn("nina", "a new password")).status).toBe(303);
  });
});
