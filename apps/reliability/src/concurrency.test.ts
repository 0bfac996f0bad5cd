/**
 * Concurrency: many clients change one session at the same time through
 * HTTP, on every store. Different keys: nothing is lost (versioned writes +
 * key-level merge). A client whose request ran out
 * of merge retries gets the documented 409 (`ERR_SESSION_CONFLICT`) and
 * retries; conflicts and retries are reported.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppKind } from "./lib/app.js";
import { type Fixture, startFixture } from "./lib/fixture.js";
import { hit } from "./lib/http.js";
import { record } from "./lib/report.js";
import { ALL_STORES, type OpenStore, openStore } from "./lib/stores.js";

const WRITERS = 30;
const FULL = process.env["REL_FULL"] === "1";
const cases = ALL_STORES.flatMap((store) =>
  (["express", "fetch"] as AppKind[]).map((app) => [store, app] as const),
).filter(([store, app]) => FULL || app === "express" || store === "memory");

describe.each(cases)("concurrency: %s store, %s app", (storeKind, appKind) => {
  let opened: OpenStore;
  let f: Fixture;

  beforeAll(async () => {
    opened = await openStore(storeKind, { timeoutMs: 5000 });
    f = await startFixture(appKind, opened.store);
  });
  afterAll(async () => {
    await f?.close();
    await opened?.close();
  });

  it(`${WRITERS} clients set different keys of one session at once: every key kept`, async () => {
    const login = await hit(f.app.url, "POST", "/login?user=carol");
    expect(login.status).toBe(200);
    const cookie = login.session!;
    const before = f.events.filter((e) => e.type === "conflict").length;
    let retries = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        for (let attempt = 0; attempt < 20; attempt += 1) {
          const h = await hit(f.app.url, "POST", `/set?key=k${i}&value=v${i}`, { cookie });
          statuses.push(h.status);
          // 409 is the documented answer when merge retries run out; anything else is a failure.
          expect([200, 409]).toContain(h.status);
          if (h.status === 200) {
            expect(h.body["user"]).toBe("carol");
            // Concurrent writers never get a different session.
            if (h.session !== undefined) expect(h.session).toBe(cookie);
            return;
          }
          retries += 1;
        }
        throw new Error(`writer ${i} never got through`);
      }),
    );
    const state = await hit(f.app.url, "GET", "/state", { cookie });
    expect(state.status).toBe(200);
    expect(state.body["user"]).toBe("carol");
    const data = state.body["data"] as Record<string, unknown>;
    const lost = Array.from({ length: WRITERS }, (_, i) => i).filter(
      (i) => data[`k${i}`] !== `v${i}`,
    );
    expect(lost).toEqual([]);
    const conflicts = f.events.filter((e) => e.type === "conflict").length - before;
    record("concurrency", {
      store: storeKind,
      app: appKind,
      writers: WRITERS,
      requests: statuses.length,
      conflicts,
      clientRetries: retries,
      lost: lost.length,
    });
  });

  it(`${WRITERS} clients increment the same key: documented last-writer-wins, user and session intact`, async () => {
    const login = await hit(f.app.url, "POST", "/login?user=dave");
    const cookie = login.session!;
    const results = await Promise.all(
      Array.from({ length: WRITERS }, () => hit(f.app.url, "POST", "/inc", { cookie })),
    );
    for (const h of results) {
      expect([200, 409]).toContain(h.status);
      if (h.status === 200) expect(h.body["user"]).toBe("dave");
    }
    const state = await hit(f.app.url, "GET", "/state", { cookie });
    expect(state.body["user"]).toBe("dave");
    const counter = state.body["counter"] as number;
    // Same key: the value of one successful writer (README "merge semantics"), never reset.
    expect(counter).toBeGreaterThanOrEqual(1);
    expect(counter).toBeLessThanOrEqual(WRITERS);
    record("same-key", {
      store: storeKind,
      app: appKind,
      writers: WRITERS,
      ok: results.filter((h) => h.status === 200).length,
      final: counter,
    });
  });
});
