/** `session.id`: a stable, non-secret handle equal to the session's `UserSessionInfo.id`. */
import { hashToken } from "@tessera/signing";
import { describe, expect, it } from "vitest";
import type { SessionImpl } from "../src/lib/session-impl.js";
import { setup } from "./helpers.js";

const ID = /^[A-Za-z0-9_-]{43}$/;

/** The raw token and the store key, which `id` must never be. */
function secrets(session: object): { token: string; key: string } {
  const impl = session as SessionImpl<object, object>;
  return { token: impl.token!, key: impl.key! };
}

describe("session.id", () => {
  it("equals the UserSessionInfo.id listUserSessions gives for the same session", async () => {
    const { request, sessions } = setup();
    const { session } = await request((s) => s.login("u1"));
    const [info] = await sessions.listUserSessions("u1");
    expect(session.id).toMatch(ID);
    expect(session.id).toBe(info!.id);
    // Stable: the next request on the same cookie names the same session.
    const { session: next } = await request((s) => s.set("n", 1));
    expect(next.id).toBe(info!.id);
  });

  it("is neither the token nor the store key, nor the name events use", async () => {
    const { request, events } = setup();
    const { session } = await request((s) => s.login("u1"));
    const { token, key } = secrets(session);
    expect(key).toBe(hashToken(token));
    expect(session.id).not.toBe(token);
    expect(session.id).not.toBe(key);
    const named = events.flatMap((e) => ("session" in e ? [e.session] : []));
    expect(named).toContain(key);
    expect(named).not.toContain(session.id);
  });

  it("is undefined for a new session that has nothing stored yet, and set once it is", async () => {
    const { sessions } = setup();
    const s = await sessions.load("");
    expect(s.id).toBeUndefined();
    s.set("n", 1);
    expect(s.id).toBeUndefined();
    await sessions.commit(s);
    expect(s.id).toMatch(ID);
  });

  it("a rejected cookie gives a new session without an id, never the rejected one's", async () => {
    const { request, sessions, jar } = setup();
    await request((s) => s.login("u1"));
    const cookie = jar.header();
    await request((s) => s.logout());
    const replay = await sessions.load(cookie);
    expect(replay.rejected).toBe("unknown_id");
    expect(replay.id).toBeUndefined();
  });

  it("changes with the token: login, regenerate and elevate give a new id at once", async () => {
    const { request, sessions } = setup();
    const { session: anonymous } = await request((s) => s.set("n", 1));
    const before = anonymous.id;
    expect(before).toMatch(ID);
    const ids: (string | undefined)[] = [before];
    await request(async (s) => {
      await s.login("u1");
      // Known in the same request, before the commit: a step-up token can bind to it now.
      ids.push(s.id);
      await s.regenerate();
      ids.push(s.id);
      await s.elevate();
      ids.push(s.id);
    });
    expect(new Set(ids).size).toBe(4);
    const [info] = await sessions.listUserSessions("u1");
    expect(info!.id).toBe(ids.at(-1));
  });

  it("revokeUserSession accepts session.id and refuses the store key", async () => {
    const { request, sessions, jar } = setup();
    const { session } = await request((s) => s.login("u1"));
    const { key } = secrets(session);
    expect(await sessions.revokeUserSession("u1", key)).toBe(false);
    expect(await sessions.revokeUserSession("u2", session.id!)).toBe(false);
    expect(await sessions.revokeUserSession("u1", session.id!)).toBe(true);
    expect((await sessions.load(jar.header())).rejected).toBe("unknown_id");
  });

  it("stateless: defined once sealed, stable across requests, new after login", async () => {
    const { request } = setup({}, true);
    const { session: first } = await request((s) => s.set("n", 1));
    expect(first.id).toMatch(ID);
    const { session: second } = await request((s) => s.set("n", 2));
    expect(second.id).toBe(first.id);
    expect(second.id).not.toBe(secrets(second).token);
    expect(second.id).not.toBe(secrets(second).key);
    const { session: third } = await request((s) => s.login("u1"));
    expect(third.id).toMatch(ID);
    expect(third.id).not.toBe(first.id);
  });

  it("bearer mode: the same id as the listing", async () => {
    const { sessions } = setup({ tokenMode: "authorization" });
    const s = await sessions.load("");
    await s.login("u1");
    await sessions.commit(s);
    const [info] = await sessions.listUserSessions("u1");
    expect(s.id).toBe(info!.id);
  });
});
