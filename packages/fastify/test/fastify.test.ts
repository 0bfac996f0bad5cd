import { Readable } from "node:stream";
import { SessionError } from "@tessera/session";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { FastifySessionError, fastifySessions, sessionOf } from "../src/index.js";
import {
  cookieOf,
  expectLogoutClearsEveryChunk,
  FlakyStore,
  INSECURE_COOKIES,
  makeSessions,
  send,
  thrownBy,
} from "./helpers.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function start(
  sessions = makeSessions(),
): Promise<{ base: string; late: { error?: unknown } }> {
  const app = Fastify();
  apps.push(app);
  const late: { error?: unknown } = {};
  await app.register(fastifySessions, { sessions });
  app.get("/inc", async (request) => {
    request.session.set("n", (request.session.get("n") ?? 0) + 1);
    return { n: request.session.get("n"), rejected: request.session.rejected ?? null };
  });
  app.get("/read", async (request) => ({
    n: request.session.get("n") ?? null,
    user: request.session.userId ?? null,
    data: request.session.toJSON(),
  }));
  app.post("/login", async (request, reply) => {
    await request.session.login("u_1");
    return reply.redirect("/read");
  });
  app.post("/logout", async (request) => {
    await request.session.logout();
    return "bye";
  });
  app.get("/big", async (request) => {
    request.session.set("big", "x".repeat(3000)); // two chunks, within the default maxCookieSize
    return "ok";
  });
  app.get("/stream", async (request, reply) => {
    request.session.set("n", 7);
    return reply.type("text/plain").send(Readable.from(["a", "b", "c"]));
  });
  app.get("/late", async (request, reply) => {
    await reply.send("done");
    try {
      request.session.set("n", 1);
    } catch (error) {
      late.error = error;
    }
    return reply;
  });
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  return { base, late };
}

describe("fastifySessions", () => {
  it("logout of a chunked stateless session clears every chunk", async () => {
    const { base } = await start(makeSessions({ store: undefined }));
    await expectLogoutClearsEveryChunk(base);
  });

  it("commits before a streamed body", async () => {
    const { base } = await start();
    const r = await send(base, "/stream");
    expect(r.body).toBe("abc");
    const cookie = cookieOf(r, "__Host-sid")!;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(7);
  });

  it("rejects session changes after the commit began: they could reach neither the store nor the cookie", async () => {
    const { base, late } = await start();
    expect((await send(base, "/late")).body).toBe("done");
    expect(SessionError.isInstance(late.error)).toBe(true);
    expect((late.error as SessionError).code).toBe("ERR_SESSION_COMMITTED");
  });

  it("answers 409 with ERR_FASTIFY_CONFLICT and stores nothing when every write loses the race", async () => {
    const store = new FlakyStore();
    const { base } = await start(makeSessions({ store, maxRetries: 1 }));
    const cookie = cookieOf(await send(base, "/inc"), "__Host-sid")!;
    store.conflict = true;
    const r = await send(base, "/inc", { cookie });
    expect(r.status).toBe(409);
    expect(r.setCookie).toEqual([]);
    expect(JSON.parse(r.body).code).toBe("ERR_FASTIFY_CONFLICT");
    expect(r.body).not.toMatch(/\bat\s|\.ts:|\.js:/);
    store.conflict = false;
    expect(JSON.parse((await send(base, "/read", { cookie })).body).n).toBe(1);
  });

  it("decorates the parent scope (skip-override) and refuses a bad manager", async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(fastifySessions, { sessions: makeSessions() });
    expect(app.hasRequestDecorator("session")).toBe(true);
    const bad = Fastify();
    apps.push(bad);
    await expect(
      bad.register(fastifySessions, { sessions: {} as never }).ready(),
    ).rejects.toMatchObject({ code: "ERR_FASTIFY_INVALID_OPTION" });
  });

  it.each(INSECURE_COOKIES)("refuses an insecure cookie configuration %j at startup", (cookie) => {
    expect(() => makeSessions({ cookie: cookie as never })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });
});

describe("sessionOf", () => {
  it("returns request.session for the manager that loaded it, and refuses another manager", async () => {
    const sessions = makeSessions();
    const other = makeSessions();
    const app = Fastify();
    apps.push(app);
    await app.register(fastifySessions, { sessions });
    app.get("/", async (request) => {
      const refused = thrownBy(() => sessionOf(request, other));
      return {
        same: sessionOf(request, sessions) === request.session,
        code: FastifySessionError.isInstance(refused) ? refused.code : refused,
      };
    });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const r = await send(base, "/");
    expect(JSON.parse(r.body)).toEqual({ same: true, code: "ERR_FASTIFY_NO_SESSION" });
  });

  it("refuses a request that no plugin loaded", async () => {
    const sessions = makeSessions();
    const app = Fastify();
    apps.push(app);
    app.get("/", async (request) => {
      const refused = thrownBy(() => sessionOf(request, sessions));
      if (refused === undefined) return { code: null };
      return { code: FastifySessionError.isInstance(refused) ? refused.code : String(refused) };
    });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const r = await send(base, "/");
    expect(JSON.parse(r.body)).toEqual({ code: "ERR_FASTIFY_NO_SESSION" });
  });
});
