import { describe, expect, it } from "vitest";
import { SvelteKitSessionError, sessionHandle } from "../src/index.js";
import {
  cookieOf,
  expectOutageAnswers503,
  FlakyStore,
  makeSessions,
  type Route,
  send,
  serve,
  serversPerTest,
  thrownBy,
} from "./helpers.js";

const NAME = "__Host-sid";
const servers = serversPerTest();

const count: Route = async ({ locals }) => {
  const n = (locals.session.get("n") ?? 0) + 1;
  locals.session.set("n", n);
  return Response.json({ n, notice: locals.session.consumeFlash("notice") ?? null });
};

const routes: Record<string, Route> = {
  "GET /count": count,
  "HEAD /count": count,
  "OPTIONS /count": async (event) => {
    await count(event);
    return new Response(null, { status: 204 });
  },
  "GET /not-modified": async (event) => {
    await count(event);
    return new Response(null, { status: 304 });
  },
  "GET /vary": async (event) => {
    const response = await count(event);
    response.headers.set("vary", "Accept");
    return response;
  },
  "GET /form": async ({ locals }) => Response.json({ csrf: await locals.session.csrfToken() }),
  // A form action written as the README shows: the session's own CSRF check.
  "POST /form": async ({ request, locals }) => {
    const form = await request.formData();
    if (!(await locals.session.verifyCsrf(form.get("csrf")))) {
      return new Response("forbidden", { status: 403 });
    }
    locals.session.set("n", 100);
    return new Response("saved");
  },
  "POST /login": async ({ locals }) => {
    await locals.session.login("ada", { carryOver: ["n"] });
    locals.session.flash("notice", "welcome");
    return Response.redirect("http://127.0.0.1/count", 303);
  },
  "POST /logout": async ({ locals }) => {
    await locals.session.logout();
    return new Response("bye");
  },
};

function app(sessions = makeSessions(), options = {}) {
  return servers.listen(serve(sessionHandle(sessions, options), routes));
}

describe("sessionHandle over real HTTP", () => {
  it("loads into locals.session and commits after resolve, with no-store and Vary: Cookie", async () => {
    const base = await app();
    const first = await send(base, "/count");
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).n).toBe(1);
    expect(first.setCookie).toHaveLength(1);
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(first.headers.vary).toBe("Cookie");
    const cookie = cookieOf(first, NAME);
    const second = await send(base, "/count", { cookie });
    expect(JSON.parse(second.body).n).toBe(2);
    const vary = await send(base, "/vary");
    expect(vary.headers.vary).toBe("Accept, Cookie");
  });

  it("a form action checks the session's CSRF token", async () => {
    const base = await app();
    const page = await send(base, "/form");
    const cookie = cookieOf(page, NAME);
    const { csrf } = JSON.parse(page.body) as { csrf: string };
    const post = (token: string) =>
      send(base, "/form", {
        method: "POST",
        cookie,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: token }).toString(),
      });
    expect((await post("forged")).status).toBe(403);
    expect((await post(csrf)).status).toBe(200);
    expect(JSON.parse((await send(base, "/count", { cookie })).body).n).toBe(101);
  });

  it("answers a store outage with 503 on load and on commit, and a lost write race with 409", async () => {
    const store = new FlakyStore();
    const base = await app(makeSessions({ store }));
    const cookie = await expectOutageAnswers503(base, "/count", store);
    const commitDown = await send(base, "/count");
    expect(commitDown.status).toBe(503);
    expect(commitDown.setCookie).toEqual([]);
    store.down = false;
    store.conflict = true;
    const conflict = await send(base, "/count", { cookie });
    expect(conflict.status).toBe(409);
    expect(conflict.setCookie).toEqual([]);
    store.conflict = false;
    expect(JSON.parse((await send(base, "/count", { cookie })).body).n).toBe(2);
  });

  it("refuses a bad manager or option with a typed error", () => {
    for (const call of [
      () => sessionHandle({} as never),
      () => sessionHandle(makeSessions(), { meta: "ip" as never }),
    ]) {
      const caught = thrownBy(call);
      expect(SvelteKitSessionError.isInstance(caught)).toBe(true);
      expect((caught as SvelteKitSessionError).code).toBe("ERR_SVELTEKIT_INVALID_OPTION");
    }
  });
});
