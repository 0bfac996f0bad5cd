import {
  createKeyring,
  generateKeyPair,
  type JwtAlgorithm,
  type Keyring,
  randomToken,
} from "@tessera/signing";
import { MemoryStore, type SessionStore } from "@tessera/store";
import { createTokens, type Tokens, type TokensEvent, type TokensOptions } from "../src/index.js";

export const ISSUER = "https://auth.example";
export const AUDIENCE = "api";
/** 2026-11-26T00:00:00Z, a fixed start for clock-driven tests. */
export const T0 = Date.UTC(2026, 10, 26);

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

export const storeFactories: Array<[string, StoreFactory]> = [
  ["MemoryStore", (now) => new MemoryStore({ now, sweepIntervalMs: 0 })],
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
