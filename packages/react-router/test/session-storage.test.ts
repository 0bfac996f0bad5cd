import type { SessionStorage } from "react-router";
import { createSession, isSession } from "react-router";
import { describe, expect, it } from "vitest";
import { ReactRouterSessionError } from "../src/index.js";
import {
  type AppData,
  type AppFlash,
  createTesseraSessionStorage,
  makeSessions,
  thrownBy,
} from "./helpers.js";

/** The `name=value` part of a Set-Cookie string, to send back as a Cookie header. */
const pair = (setCookie: string) => setCookie.slice(0, setCookie.indexOf(";"));

describe("createTesseraSessionStorage", () => {
  it("is React Router's SessionStorage for the manager's data and flash types", () => {
    const storage: SessionStorage<AppData, AppFlash> = createTesseraSessionStorage(makeSessions());
    expect(typeof storage.getSession).toBe("function");
  });

  it("refuses something that is not a manager, and a bearer-token manager, with a typed error", () => {
    expect(() => createTesseraSessionStorage({} as never)).toThrow(
      expect.objectContaining({ code: "ERR_REACT_ROUTER_INVALID_OPTION" }),
    );
    const bearer = makeSessions({ tokenMode: "authorization" });
    const caught = thrownBy(() => createTesseraSessionStorage(bearer));
    expect(ReactRouterSessionError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/tokenMode "authorization"/);
  });

  it("gives a new session an empty id and data, then the manager's id once committed", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    const session = await storage.getSession(null);
    expect(session.id).toBe("");
    expect(session.data).toEqual({});
    session.set("n", 1);
    const setCookie = await storage.commitSession(session);
    expect(setCookie).toMatch(/^__Host-sid=/);
    const loaded = await storage.getSession(pair(setCookie));
    expect(loaded.id).toBe(loaded.tessera.id);
    expect(loaded.id).not.toBe("");
    expect(loaded.data).toEqual({ n: 1 });
  });

  it("get, set, has and unset read and write the Tessera session", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    const session = await storage.getSession();
    expect(isSession(session)).toBe(true);
    expect(session.has("n")).toBe(false);
    session.set("n", 2);
    expect(session.has("n")).toBe(true);
    expect(session.get("n")).toBe(2);
    expect(session.tessera.get("n")).toBe(2);
    session.unset("n");
    expect(session.has("n")).toBe(false);
    expect(session.get("n")).toBeUndefined();
  });

  it("returns a flash message once, and keeps an unread one past a commit", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    const writer = await storage.getSession();
    writer.flash("notice", "saved");
    const cookie = pair(await storage.commitSession(writer));

    const early = await storage.getSession(cookie);
    expect(await storage.commitSession(early)).toBe("");
    // Not read before the commit: still there for the next request.
    expect(early.get("notice")).toBeUndefined();

    const reader = await storage.getSession(cookie);
    expect(reader.get("notice")).toBe("saved");
    expect(reader.get("notice")).toBeUndefined();
    await storage.commitSession(reader);
    expect((await storage.getSession(cookie)).get("notice")).toBeUndefined();
  });

  it("commitSession returns an empty string when nothing needs sending", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    expect(await storage.commitSession(await storage.getSession())).toBe("");
  });

  it("refuses per-call cookie options before committing anything", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    const session = await storage.getSession();
    session.set("n", 1);
    await expect(storage.commitSession(session, { maxAge: 60 })).rejects.toMatchObject({
      code: "ERR_REACT_ROUTER_UNSUPPORTED_OPTION",
      message: expect.stringMatching(/maxAge/),
    });
    await expect(storage.getSession(null, { decode: (v: string) => v })).rejects.toMatchObject({
      code: "ERR_REACT_ROUTER_UNSUPPORTED_OPTION",
    });
    // Still uncommitted: the session can be committed normally.
    expect(await storage.commitSession(session, {})).toMatch(/^__Host-sid=/);
  });

  it("refuses a session this storage did not load", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    await expect(storage.commitSession(createSession())).rejects.toMatchObject({
      code: "ERR_REACT_ROUTER_FOREIGN_SESSION",
    });
    const other = createTesseraSessionStorage(makeSessions());
    await expect(storage.destroySession(await other.getSession())).rejects.toMatchObject({
      code: "ERR_REACT_ROUTER_FOREIGN_SESSION",
    });
  });

  it("destroySession deletes the stored session and returns the one clearing cookie", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    const session = await storage.getSession();
    session.set("n", 5);
    const cookie = pair(await storage.commitSession(session));
    const clear = await storage.destroySession(await storage.getSession(cookie));
    expect(clear).toMatch(/^__Host-sid=;.*Max-Age=0/i);
    expect((await storage.getSession(cookie)).data).toEqual({});
  });

  it("asks for commitHeaders when a stateless session needs several cookies", async () => {
    const storage = createTesseraSessionStorage(
      makeSessions({ store: undefined, maxCookieSize: 16_384 }),
    );
    const small = await storage.getSession();
    small.set("n", 1);
    expect(await storage.commitSession(small)).toMatch(/^__Host-sid=/);

    const big = await storage.getSession();
    big.set("big", "x".repeat(6000));
    await expect(storage.commitSession(big)).rejects.toMatchObject({
      code: "ERR_REACT_ROUTER_MULTIPLE_COOKIES",
    });
    const again = await storage.getSession();
    again.set("big", "x".repeat(6000));
    const headers = await storage.commitHeaders(again, { method: "POST", status: 200 });
    expect(headers.getSetCookie().length).toBeGreaterThan(1);
  });

  it("commitHeaders commits nothing on HEAD, OPTIONS or 304", async () => {
    const storage = createTesseraSessionStorage(makeSessions());
    for (const facts of [
      { method: "HEAD", status: 200 },
      { method: "OPTIONS", status: 204 },
      { method: "GET", status: 304 },
    ]) {
      const session = await storage.getSession();
      session.set("n", 1);
      const headers = await storage.commitHeaders(session, facts);
      expect([...headers]).toEqual([]);
    }
  });
});
