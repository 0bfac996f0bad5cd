/** Nesting and size caps on session data, on write and on load, before any store call. */
import { describe, expect, it } from "vitest";
import { expectEvent, MIN, setup } from "./helpers.js";

function nested(levels: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = { x: value };
  return value;
}

describe("JSON depth cap", () => {
  it("1,000 levels: ERR_SESSION_TOO_DEEP before any store call", async () => {
    const { sessions, spy } = setup();
    const s = await sessions.load("");
    s.set("blob", nested(1000) as string);
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_DEEP" });
    expect(spy.calls.set).toBe(0);
  });

  it("the cap counts the data object itself: 31 levels below it pass, 32 do not", async () => {
    const { sessions } = setup();
    const ok = await sessions.load("");
    ok.set("blob", nested(31) as string);
    await expect(sessions.commit(ok)).resolves.toHaveLength(1);
    const deep = await sessions.load("");
    deep.set("blob", nested(32) as string);
    await expect(sessions.commit(deep)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_DEEP" });
  });

  it("maxDepth is configurable and validated", async () => {
    const { sessions } = setup({ maxDepth: 3 });
    const s = await sessions.load("");
    s.flash("notice", nested(3) as string);
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_DEEP" });
    expect(() => setup({ maxDepth: 0 })).toThrow(
      expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }),
    );
  });

  it("a cyclic value is refused with a typed error, not a stack overflow", async () => {
    const { sessions } = setup();
    const s = await sessions.load("");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    s.set("blob", cyclic as unknown as string);
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_DEEP" });
  });

  it("stateless mode checks depth before sealing", async () => {
    const { sessions } = setup({}, true);
    const s = await sessions.load("");
    s.set("blob", nested(100) as string);
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_DEEP" });
  });
});

describe("a stored record that is too deep or too large is malformed on load, no crash", () => {
  async function stored(
    options: Parameters<typeof setup>[0],
    poison: (record: Record<string, unknown>) => string,
  ) {
    const t = setup(options);
    const { session } = await t.request((s) => s.set("n", 1));
    const key = (session as unknown as { key: string }).key;
    const entry = (await t.spy.inner.get(key))!;
    const record = JSON.parse(entry.value) as Record<string, unknown>;
    await t.spy.inner.set(key, { value: poison(record), expiresAt: entry.expiresAt });
    t.clock.advance(MIN);
    return { ...t, key };
  }

  it.each([
    [
      "100 levels deep",
      (r: Record<string, unknown>) => JSON.stringify({ ...r, data: { n: nested(100) } }),
    ],
    [
      "100,000 levels deep",
      (r: Record<string, unknown>) =>
        JSON.stringify({ ...r, data: { n: 0 } }).replace(
          '"n":0',
          `"n":${"[".repeat(100_000)}${"]".repeat(100_000)}`,
        ),
    ],
    [
      "deep flash",
      (r: Record<string, unknown>) => JSON.stringify({ ...r, flash: { notice: nested(50) } }),
    ],
    [
      "larger than maxSize",
      (r: Record<string, unknown>) => JSON.stringify({ ...r, data: { n: "x".repeat(70_000) } }),
    ],
  ])("%s → rejected malformed, fresh session", async (_name, poison) => {
    const { request, events, key } = await stored({}, poison);
    const { session } = await request((s) => s.get("n"));
    expect(session.rejected).toBe("malformed");
    expect(session.get("n")).toBeUndefined();
    expectEvent(events, { type: "rejected", reason: "malformed", session: key });
  });

  it("a record within the caps still loads", async () => {
    const { request } = await stored({}, (r) => JSON.stringify({ ...r, data: { n: nested(10) } }));
    const { session } = await request((s) => s.get("n"));
    expect(session.rejected).toBeUndefined();
  });
});
