/**
 * Secure stays on in development (browsers treat http://localhost as a secure
 * context) unless a loudly named option drops it, and that option refuses to
 * run when NODE_ENV=production.
 */
import { parseSetCookie } from "@tessera/cookie";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSessions } from "../src/index.js";
import { keyring, setup } from "./helpers.js";

describe("cookie.insecureDevelopmentOnly", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("a __Host- name with secure:false is a startup error", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(() => createSessions({ keys: keyring(), cookie: { secure: false } })).toThrow(
      expect.objectContaining({
        code: "ERR_SESSION_INVALID_OPTION",
        message: expect.stringContaining("insecureDevelopmentOnly"),
      }),
    );
    expect(() =>
      createSessions({ keys: keyring(), cookie: { name: "sid", secure: false } }),
    ).toThrow(expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }));
  });

  it("drops Secure and the __Host- default name in development", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const { request } = setup({ cookie: { insecureDevelopmentOnly: true } });
    const { setCookies } = await request((s) => s.set("n", 1));
    const parsed = parseSetCookie(setCookies[0]!)!;
    expect(parsed.name).toBe("sid");
    expect(parsed.attributes.secure).toBeUndefined();
    expect(setCookies[0]).not.toMatch(/Secure/);
    expect(parsed.attributes).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
  });

  it("refuses to run when NODE_ENV is production", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(() =>
      createSessions({ keys: keyring(), cookie: { insecureDevelopmentOnly: true } }),
    ).toThrow(
      expect.objectContaining({
        code: "ERR_SESSION_INVALID_OPTION",
        message: expect.stringContaining("NODE_ENV is production"),
      }),
    );
  });

  it.each(["__Host-sid", "__Secure-sid", "__HOST-x"])(
    "refuses the prefixed name %s without Secure",
    (name) => {
      vi.stubEnv("NODE_ENV", "test");
      expect(() =>
        createSessions({ keys: keyring(), cookie: { name, insecureDevelopmentOnly: true } }),
      ).toThrow(expect.objectContaining({ code: "ERR_SESSION_INVALID_OPTION" }));
    },
  );

  it("without a process global the option still works (edge runtimes)", () => {
    const saved = globalThis.process;
    // biome-ignore lint/suspicious/noExplicitAny: simulating a runtime without process
    (globalThis as any).process = undefined;
    try {
      const sessions = createSessions({
        keys: keyring(),
        cookie: { insecureDevelopmentOnly: true },
      });
      expect(sessions.cookieName).toBe("sid");
    } finally {
      globalThis.process = saved;
    }
  });

  it("secure:true explicitly is the default", async () => {
    const { request } = setup({ cookie: { secure: true } });
    const { setCookies } = await request((s) => s.set("n", 1));
    expect(setCookies[0]).toMatch(/^__Host-sid=.*; Secure/);
  });
});
