import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKeyring, generateKeyPair, hashToken, randomToken } from "@tessera/signing";
import {
  MemoryStore,
  type SessionStore,
  type SetOptions,
  type StoreEntryInput,
} from "@tessera/store";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTokens, TokensError, type TokensOptions } from "../src/index.js";
import { AUDIENCE, ISSUER, setup, storeFactories, T0 } from "./helpers.js";

/** Wraps a store and records every write and every compare-and-set conflict. */
function recording(inner: SessionStore) {
  const writes: Array<{ key: string; entry: StoreEntryInput }> = [];
  let conflicts = 0;
  const store: SessionStore = {
    get: (k) => inner.get(k),
    set: async (k, e, o) => {
      writes.push({ key: k, entry: e });
      const result = await inner.set(k, e, o);
      if (!result.ok) conflicts++;
      return result;
    },
    touch: (k, e) => inner.touch(k, e),
    delete: (k) => inner.delete(k),
    listByUser: (u) => (inner as MemoryStore).listByUser(u),
    deleteByUser: (u, o) => (inner as MemoryStore).deleteByUser(u, o),
  };
  return { store, writes, conflicts: () => conflicts };
}

describe.each(storeFactories)(
  "refresh-token storage on %s (only SHA-256 of a token is stored)",
  (name, factory) => {
    // The full 1,000 in memory; a server-backed store proves the same format with fewer round trips.
    const count = name === "MemoryStore" ? 1000 : 200;
    it(`${count} refresh tokens: 43-char CSPRNG tokens, only SHA-256 hashes in the store`, {
      timeout: 30_000,
    }, async () => {
      const rec = recording(await factory(() => T0));
      const { tokens } = await setup(() => rec.store, { graceWindow: 5 });
      const issued: string[] = [];
      for (let i = 0; i < count; i++) {
        const pair = await tokens.issue(`user-${i % 10}`, { binding: "client" });
        issued.push(pair.refreshToken);
        if (i % 10 === 0) {
          const next = await tokens.refresh(pair.refreshToken, { binding: "client" });
          if (next.ok) issued.push(next.pair.refreshToken);
        }
      }
      expect(new Set(issued).size).toBe(issued.length);
      for (const token of issued) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const dump = rec.writes.map((w) => `${w.key} ${w.entry.value}`).join("\n");
      for (const token of issued) expect(dump.includes(token)).toBe(false);
      expect(rec.writes.some((w) => w.key === hashToken(issued[0]!))).toBe(true);
    });
  },
);

describe("atomic consumption (a token mints at most one child)", () => {
  it("the concurrent refreshes really race: both read unused, one compare-and-set loses", async () => {
    const rec = recording(new MemoryStore({ sweepIntervalMs: 0 }));
    const { tokens } = await setup(() => rec.store);
    const pair = await tokens.issue("u1");
    const results = await Promise.all([
      tokens.refresh(pair.refreshToken),
      tokens.refresh(pair.refreshToken),
    ]);
    expect(rec.conflicts()).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("control: a store that ignores expectVersion would mint many children (the test can fail)", async () => {
    const inner = new MemoryStore({ sweepIntervalMs: 0 });
    const broken: SessionStore = {
      get: (k) => inner.get(k),
      set: (k, e, o?: SetOptions) => inner.set(k, e, o?.expectVersion === 0 ? o : undefined),
      touch: (k, e) => inner.touch(k, e),
      delete: (k) => inner.delete(k),
    };
    const { tokens } = await setup(() => broken);
    const pair = await tokens.issue("u1");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => tokens.refresh(pair.refreshToken)),
    );
    const children = new Set(results.flatMap((r) => (r.ok ? [r.pair.refreshToken] : [])));
    expect(children.size).toBeGreaterThan(1);
  });
});

describe("network input never throws", () => {
  it("refresh, verify, verifyRequest and revokeRefreshToken on arbitrary strings", async () => {
    const { tokens } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (input) => {
        expect((await tokens.refresh(input)).ok).toBe(false);
        expect((await tokens.verify(input)).ok).toBe(false);
        expect(await tokens.revokeRefreshToken(input)).toBe(false);
        const header = `Bearer ${input}`;
        let request: Request;
        try {
          request = new Request("https://api.example/", { headers: { authorization: header } });
        } catch {
          return; // Not a valid header value: fetch itself refuses it.
        }
        expect((await tokens.verifyRequest(request)).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("a corrupt record in the store is an invalid token, not an exception", async () => {
    const { tokens, store, clock } = await setup();
    const token = randomToken(32);
    await store.set(hashToken(token), { value: "{not json", expiresAt: clock.now() + 60_000 });
    expect(await tokens.refresh(token)).toEqual({ ok: false, reason: "invalid" });
    await store.set(hashToken(token), {
      value: '{"t":"tessera.refresh","v":1,"fam":"x","created":1}',
      expiresAt: clock.now() + 60_000,
    });
    expect(await tokens.refresh(token)).toEqual({ ok: false, reason: "revoked" });
  });
});

describe("createTokens options", () => {
  const base = (): TokensOptions => ({
    keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
    store: new MemoryStore({ sweepIntervalMs: 0 }),
    issuer: ISSUER,
    audience: AUDIENCE,
  });

  it.each([
    ["keys", { keys: {} }],
    ["store", { store: {} }],
    ["issuer", { issuer: "" }],
    ["audience", { audience: undefined }],
    ["algorithm", { algorithm: "none" }],
    ["algorithm", { algorithm: "RS256" }],
    ["accessTtl", { accessTtl: 0 }],
    ["accessTtl", { accessTtl: 1.5 }],
    ["accessTtl", { accessTtl: 86_401 }],
    ["refreshTtl", { refreshTtl: 40 * 86_400, familyTtl: 30 * 86_400 }],
    ["familyTtl", { familyTtl: Number.NaN }],
    ["stepUpTtl", { stepUpTtl: 301 }],
    ["graceWindow", { graceWindow: 61 }],
    ["graceWindow", { graceWindow: -1 }],
    ["clockTolerance", { clockTolerance: 301 }],
    ["denyList", { denyList: "yes" }],
    ["checkRevocation", { checkRevocation: 1 }],
    ["now", { now: 5 }],
    ["onEvent", { onEvent: "log" }],
  ])("throws ERR_TOKENS_INVALID_OPTION naming %s", (name, override) => {
    const options = { ...base(), ...override } as unknown as TokensOptions;
    expect(() => createTokens(options)).toThrow(
      expect.objectContaining({
        code: "ERR_TOKENS_INVALID_OPTION",
        message: expect.stringContaining(`option ${name} is invalid`),
      }),
    );
  });

  it("a keyring without secrets needs an explicit asymmetric algorithm", async () => {
    const keys = createKeyring([await generateKeyPair("EdDSA", { id: "ed" })]);
    expect(() => createTokens({ ...base(), keys })).toThrow(/option algorithm/);
    expect(() => createTokens({ ...base(), keys, algorithm: "EdDSA" })).not.toThrow();
  });

  it.each([
    ["userId", "", {}],
    ["userId", "u".repeat(256), {}],
    ["claims", "u1", { claims: { sub: "admin" } }],
    ["claims", "u1", { claims: { sid: "x" } }],
    ["claims", "u1", { claims: { big: "x".repeat(3000) } }],
    ["claims", "u1", { claims: [] }],
    // A year past the real clock that `base()` leaves the service on.
    ["authTime", "u1", { authTime: Date.now() + 365 * 86_400_000 }],
  ])("issue throws ERR_TOKENS_INVALID_ARGUMENT for a bad %s", async (_name, userId, options) => {
    const tokens = createTokens(base());
    await expect(tokens.issue(userId, options as never)).rejects.toSatisfy(
      (e: unknown) => TokensError.isInstance(e) && e.code === "ERR_TOKENS_INVALID_ARGUMENT",
    );
  });

  it("a throwing event listener never breaks a request", async () => {
    const tokens = createTokens({
      ...base(),
      onEvent: () => {
        throw new Error("sink down");
      },
    });
    const pair = await tokens.issue("u1");
    expect((await tokens.refresh(pair.refreshToken)).ok).toBe(true);
  });
});

describe("runtime neutrality (no node: import, so edge runtimes load it)", () => {
  it("no node: imports or Buffer in src", () => {
    const root = fileURLToPath(new URL("../src", import.meta.url));
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(join(root, file), "utf8");
      expect(text, file).not.toMatch(/from\s+["']node:|require\(["']node:|\bBuffer\b/);
    }
  });
});
