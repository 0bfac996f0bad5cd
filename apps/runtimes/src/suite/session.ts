import { parseSetCookie } from "@tessera/cookie";
import { createSessions, type Sessions } from "@tessera/session";
import { createKeyring } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { deepEqual, equal, ok, type Suite } from "../harness.js";
import type { Vectors } from "../types.js";

type Data = { visits: number; cart: number[]; big: string };

/** `name=value` pairs a browser would send back for these Set-Cookie lines. */
export function cookieHeader(setCookies: readonly string[], jar = new Map<string, string>()) {
  for (const line of setCookies) {
    const parsed = parseSetCookie(line, { decode: false });
    if (parsed === null) continue;
    if (parsed.attributes.maxAge === 0 || parsed.value === "") jar.delete(parsed.name);
    else jar.set(parsed.name, parsed.value);
  }
  return { jar, header: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") };
}

async function roundTrip(
  sessions: Sessions<Data>,
  stateful: boolean,
  events: Array<{ type: string; reason?: string }>,
) {
  // create
  const untouched = await sessions.load(null);
  equal((await sessions.commit(untouched)).length, 0, "an untouched session sends no cookie");
  // A committed session refuses changes (ERR_SESSION_COMMITTED): start anew.
  const fresh = await sessions.load(null);
  ok(fresh.isNew, "new session");
  equal(fresh.rejected, undefined);
  fresh.set("visits", 1);
  fresh.set("cart", [1, 2]);
  const first = await sessions.commit(fresh);
  ok(first.length >= 1, "commit sets a cookie");
  ok(first[0]!.startsWith("__Host-sid"), first[0]!);
  ok(/; HttpOnly; Secure; SameSite=Lax/.test(first[0]!), first[0]!);
  let { header, jar } = cookieHeader(first);

  // load
  const loaded = await sessions.load(header);
  equal(loaded.isNew, false, "loaded");
  equal(loaded.get("visits"), 1);
  deepEqual(loaded.get("cart"), [1, 2]);
  loaded.set("visits", 2);
  ({ header, jar } = cookieHeader(await sessions.commit(loaded), jar));
  equal((await sessions.load(header)).get("visits"), 2, "second commit persisted");

  // CSRF
  const withCsrf = await sessions.load(header);
  const csrf = await withCsrf.csrfToken();
  ok(await withCsrf.verifyCsrf(csrf), "csrf verifies");
  ok(!(await withCsrf.verifyCsrf(`${csrf}x`)), "tampered csrf refused");

  // login (regenerates)
  const beforeLogin = header;
  const user = await sessions.load(header);
  await user.login("u_42", { carryOver: ["cart"] });
  ({ header, jar } = cookieHeader(await sessions.commit(user), jar));
  ok(header !== beforeLogin, "login issues a new cookie");
  const afterLogin = await sessions.load(header);
  equal(afterLogin.userId, "u_42");
  deepEqual(afterLogin.get("cart"), [1, 2], "carried over");
  equal(afterLogin.get("visits"), undefined, "not carried over");
  if (stateful) {
    const stale = await sessions.load(beforeLogin);
    equal(stale.rejected, "unknown_id", "the pre-login id is dead");
  }

  // regenerate
  const beforeRegen = header;
  const regen = await sessions.load(header);
  await regen.regenerate();
  ({ header, jar } = cookieHeader(await sessions.commit(regen), jar));
  ok(header !== beforeRegen, "regenerate issues a new cookie");
  equal((await sessions.load(header)).userId, "u_42", "user kept across regenerate");
  if (stateful) equal((await sessions.load(beforeRegen)).rejected, "unknown_id");

  // tampered and duplicated cookies are no session, never an exception
  const [name, value] = [...jar][0]!;
  const tampered = await sessions.load(`${name}=${value.slice(0, -2)}xx`);
  ok(tampered.isNew && tampered.rejected !== undefined, `tampered: ${tampered.rejected}`);
  const dup = await sessions.load(`${header}; ${header}`);
  equal(dup.rejected, "duplicate_cookie");

  // logout
  const out = await sessions.load(header);
  const result = await out.logout();
  equal(result.serverSideRevoked, stateful, "serverSideRevoked");
  const cleared = await sessions.commit(out);
  ok(
    cleared.some((line) => /Max-Age=0/.test(line)),
    `logout clears the cookie: ${cleared.join(" | ")}`,
  );
  if (stateful) {
    const after = await sessions.load(header);
    equal(after.rejected, "unknown_id", "logged-out id is dead");
  }
  ok(
    events.some((e) => e.type === "login"),
    `events: ${events.map((e) => e.type).join(",")}`,
  );
}

export function sessionTests(suite: Suite, v: Vectors): void {
  suite.test("session: stateful round trip on MemoryStore", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const events: Array<{ type: string }> = [];
    try {
      const sessions = createSessions<Data>({
        keys: createKeyring(v.keyring),
        store,
        onEvent: (e) => events.push(e),
      });
      equal(sessions.mode, "stateful");
      await roundTrip(sessions, true, events);
    } finally {
      await store.close();
    }
  });

  suite.test("session: stateless round trip (sealed cookie)", async () => {
    const events: Array<{ type: string }> = [];
    const sessions = createSessions<Data>({
      keys: createKeyring(v.keyring),
      onEvent: (e) => events.push(e),
    });
    equal(sessions.mode, "stateless");
    await roundTrip(sessions, false, events);
  });

  suite.test(
    "session: stateless data larger than one cookie is chunked and reassembled",
    async () => {
      // About 14 KB sealed: past the default cookie budget, so raised for the test.
      const sessions = createSessions<Data>({
        keys: createKeyring(v.keyring),
        maxCookieSize: 16_384,
      });
      const s = await sessions.load(null);
      const big = Array.from({ length: 600 }, (_, i) => (i * 7919).toString(36)).join("-");
      s.set("big", big + big + big);
      const lines = await sessions.commit(s);
      ok(lines.length >= 2, `expected chunks, got ${lines.length}`);
      const { header } = cookieHeader(lines);
      equal((await sessions.load(header)).get("big"), big + big + big);
    },
  );

  suite.test("session: concurrent writers to one session keep both keys (merge)", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    try {
      const sessions = createSessions<Data>({ keys: createKeyring(v.keyring), store });
      const s = await sessions.load(null);
      s.set("visits", 1);
      const { header } = cookieHeader(await sessions.commit(s));
      const a = await sessions.load(header);
      const b = await sessions.load(header);
      a.set("visits", 5);
      b.set("cart", [9]);
      await sessions.commit(a);
      await sessions.commit(b);
      const merged = await sessions.load(header);
      equal(merged.get("visits"), 5);
      deepEqual(merged.get("cart"), [9]);
    } finally {
      await store.close();
    }
  });

  suite.test("session: idle timeout expires a session (injected clock)", async () => {
    let now = Date.now();
    const store = new MemoryStore({ sweepIntervalMs: 0, now: () => now });
    try {
      const sessions = createSessions<Data>({
        keys: createKeyring(v.keyring),
        store,
        idleTimeout: 120,
        touchAfter: 10,
        now: () => now,
      });
      const s = await sessions.load(null);
      s.set("visits", 1);
      const { header } = cookieHeader(await sessions.commit(s));
      now += 121_000;
      const later = await sessions.load(header);
      ok(later.isNew && later.rejected !== undefined, `rejected: ${later.rejected}`);
    } finally {
      await store.close();
    }
  });
}
