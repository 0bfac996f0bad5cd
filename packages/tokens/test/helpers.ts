import {
  createKeyring,
  generateKeyPair,
  type JwtAlgorithm,
  type Keyring,
  randomToken,
} from "@tessera/signing";
import { MemoryStore, type SessionStore } from "@tessera/store";
import { fromNodeRedis, RedisStore } from "@tessera/store-redis";
import { createClient } from "redis";
import { afterAll } from "vitest";
import { requireService } from "../../../scripts/test-env.js";
import { createTokens, type Tokens, type TokensEvent, type TokensOptions } from "../src/index.js";

export const ISSUER = "https://auth.example";
export const AUDIENCE = "api";
/**
 * Start of the test clocks: the real time at load, whole seconds. Not a fixed
 * date: a store on a real server (Redis) expires entries by the real clock,
 * so test instants must not lie in its past.
 */
export const T0 = Math.floor(Date.now() / 1000) * 1000;

/** A settable clock shared by the tokens service and the store. */
export interface Clock {
  now: () => number;
  set(ms: number): void;
  advance(seconds: number): void;
}

export function clock(start = T0): Clock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (seconds) => {
      t += seconds * 1000;
    },
  };
}

/**
 * Store factories the suites run against. A factory takes the test clock;
 * a store backed by a real server ignores it (record timestamps, not store
 * TTLs, decide validity, so the suites still hold). To add a driver, push a
 * factory here, e.g. `["redis", () => new RedisStore({ client, prefix })]`.
 */
export type StoreFactory = (now: () => number) => SessionStore | Promise<SessionStore>;

// One node-redis client per test file, against the server scripts/services
// starts (REDIS_URL); never skipped: a missing server fails with a start hint.
async function connectRedis() {
  const client = createClient({
    url: await requireService("REDIS_URL"),
    disableOfflineQueue: true,
  });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

let redis: ReturnType<typeof connectRedis> | undefined;

function redisClient(): ReturnType<typeof connectRedis> {
  redis ??= connectRedis();
  return redis;
}

afterAll(async () => {
  if (redis !== undefined) await (await redis).quit();
});

let prefixes = 0;

export const storeFactories: Array<[string, StoreFactory]> = [
  ["MemoryStore", (now) => new MemoryStore({ now, sweepIntervalMs: 0 })],
  [
    "RedisStore (node-redis)",
    async () =>
      new RedisStore({
        client: fromNodeRedis(await redisClient()),
        // A fresh namespace per store: tests never see each other's users.
        prefix: `tessera-test:tokens:${Date.now().toString(36)}:${process.pid}:${prefixes++}:`,
      }),
  ],
];

export const secretKeys = (): Keyring => createKeyring([{ id: "k1", secret: randomToken(32) }]);

let edPair: Promise<Keyring> | undefined;
let esPair: Promise<Keyring> | undefined;
export function pairKeys(alg: "EdDSA" | "ES256"): Promise<Keyring> {
  if (alg === "EdDSA") {
    edPair ??= generateKeyPair("EdDSA", { id: "ed-1" }).then((p) => createKeyring([p]));
    return edPair;
  }
  esPair ??= generateKeyPair("ES256", { id: "es-1" }).then((p) => createKeyring([p]));
  return esPair;
}

export async function keysFor(alg: JwtAlgorithm): Promise<Keyring> {
  return alg === "EdDSA" || alg === "ES256" ? pairKeys(alg) : secretKeys();
}

export interface Setup {
  tokens: Tokens;
  store: SessionStore;
  clock: Clock;
  events: TokensEvent[];
  keys: Keyring;
}

export async function setup(
  factory: StoreFactory = storeFactories[0]![1],
  options: Partial<TokensOptions> = {},
): Promise<Setup> {
  const c = clock();
  const store = await factory(c.now);
  const events: TokensEvent[] = [];
  const keys = options.keys ?? secretKeys();
  const tokens = createTokens({
    keys,
    store,
    issuer: ISSUER,
    audience: AUDIENCE,
    now: c.now,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { tokens, store, clock: c, events, keys };
}

/** Decodes a JWT segment for assertions (no verification). */
export function decodeSegment(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split(".")[index]!;
  return JSON.parse(new TextDecoder().decode(Buffer.from(part, "base64url"))) as Record<
    string,
    unknown
  >;
}
