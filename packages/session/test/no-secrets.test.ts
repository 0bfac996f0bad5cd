/**
 * No token or secret in any event, for the features added after the first
 * security tests (OWASP "Logging Sessions Life Cycle": log a hash, never the id).
 */
import { MemoryStore } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { createSessions, type SessionEvent } from "../src/index.js";
import { clock, Jar, keyring, MIN, spyStore } from "./helpers.js";

describe("no secrets in events (renewal, bearer, binding, brute force, revocation, retries)", () => {
  it("event payloads never contain a raw token, a cookie or bearer value, or a secret", async () => {
    const c = clock();
    const events: SessionEvent[] = [];
    const secrets: string[] = [];
    const { createKeyring, randomToken } = await import("@tessera/signing");
    const secret = randomToken(32);
    const keys = createKeyring([{ id: "k1", secret }]);
    secrets.push(secret);
    const spy = spyStore(new MemoryStore({ sweepIntervalMs: 0, now: c.now }));
    const onEvent = (e: SessionEvent) => events.push(e);
    const cookieMode = createSessions({
      keys,
      store: spy.store,
      now: c.now,
      onEvent,
      renewAfter: 60,
      binding: "revoke",
      bruteforce: { threshold: 2 },
    });
    const bearer = createSessions({
      keys,
      store: new MemoryStore({ now: c.now }),
      now: c.now,
      onEvent,
      tokenMode: "authorization",
    });
    const revocation = spyStore(new MemoryStore({ sweepIntervalMs: 0, now: c.now }));
    const stateless = createSessions({
      keys: keyring(),
      now: c.now,
      onEvent,
      revocationStore: revocation.store,
    });

    const jar = new Jar();
    const meta = { userAgent: "Firefox/1", ip: "203.0.113.1" };
    let s = await cookieMode.load("", meta);
    await s.login("u1");
    jar.apply(await cookieMode.commit(s));
    secrets.push(...jar.cookies.values(), (s as unknown as { token: string }).token);
    c.advance(2 * MIN);
    const old = jar.clone();
    s = await cookieMode.load(jar.header(), meta);
    jar.apply(await cookieMode.commit(s)); // renewal
    secrets.push(...jar.cookies.values(), (s as unknown as { token: string }).token);
    c.advance(2 * MIN);
    await cookieMode.load(old.header(), meta); // renewal_reuse
    await cookieMode.load("__Host-sid=x", meta);
    await cookieMode.load("__Host-sid=y", meta); // bruteforce
    await cookieMode.load(jar.header(), { userAgent: "curl/8", ip: "198.51.100.1" }); // binding revoke

    const b = await bearer.load(null);
    await b.login("u2");
    const { token } = await bearer.commitHeaders(b);
    secrets.push(token!);

    const sl = await stateless.load("");
    await sl.login("u3");
    const slJar = new Jar();
    slJar.apply(await stateless.commit(sl));
    secrets.push(...slJar.cookies.values());
    revocation.fail.add("set");
    const again = await stateless.load(slJar.header());
    await again.logout().catch(() => {});
    await stateless.retryPending();

    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "renewal_reuse",
        "bruteforce",
        "binding_changed",
        "store_error",
        "login",
      ]),
    );
    const text = JSON.stringify(events);
    for (const value of secrets) {
      expect(value.length).toBeGreaterThan(20);
      expect(text).not.toContain(value);
      // The token part of a signed value is a secret too.
      expect(text).not.toContain(value.split(".")[0]);
    }
  });
});
