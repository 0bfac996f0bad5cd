/**
 * @tessera/tokens against jose used directly.
 *
 * - Verify: `tokens.verify(accessToken)` (pinned rules: format pre-check,
 *   `typ: at+jwt`, one algorithm, `iss`, `aud`, required `exp`/`iat`/`sub`/
 *   `sid`/`jti`, future-`iat` refusal) against jose's `jwtVerify` with the
 *   same key imported once and the same claim checks, for HS256 (the derived
 *   subkey) and EdDSA (the public key). Target: ratio >= 0.9. Like for like,
 *   the peer sets `maxTokenAge`: it is jose's only way to refuse a token whose
 *   `iat` lies in the future, which our rules require (a future `iat`
 *   is refused; RFC 7519 §4.1.6). A
 *   second HS256 row shows jose without it, for reference.
 * - Verify with `denyList` and `checkRevocation` on MemoryStore: the same
 *   peer; shows the cost of the two parallel `store.get`s.
 * - Issue and refresh round trip on MemoryStore, and on Redis (RedisStore
 *   over node-redis, the server `scripts/services up` starts) when it
 *   answers: no peer (jose has no refresh tokens); µs per operation. A
 *   refresh is two store reads, three writes, two SHA-256 and one JWT
 *   signature.
 */
import { createKeyring, deriveKey, generateKeyPair, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { fromNodeRedis, RedisStore } from "@tessera/store-redis";
import { createTokens, type Tokens } from "@tessera/tokens";
import { type JWTVerifyOptions, jwtVerify } from "jose";
import { createClient } from "redis";
// Relative imports until apps/bench lists these workspace packages among its dependencies.
import { requireService } from "../../../../scripts/test-env.js";
import { type Benchmark, compare, median, type Row, type RunOptions } from "../harness.js";

const ISSUER = "https://auth.example";
const AUDIENCE = "api";

const bareOptions = (alg: string): JWTVerifyOptions => ({
  algorithms: [alg],
  typ: "at+jwt",
  issuer: ISSUER,
  audience: AUDIENCE,
  clockTolerance: 30,
  requiredClaims: ["exp", "iat", "sub", "sid", "jti"],
});
const peerOptions = (alg: string): JWTVerifyOptions => ({
  ...bareOptions(alg),
  maxTokenAge: 315_360_000,
});

/** µs per operation of an async op run sequentially, median of rounds. */
async function timeAsync(op: () => Promise<unknown>, options: RunOptions): Promise<number> {
  const runFor = async (ms: number) => {
    let ops = 0;
    const start = performance.now();
    const deadline = start + ms;
    while (performance.now() < deadline) {
      for (let i = 0; i < 32; i++) await op();
      ops += 32;
    }
    return ((performance.now() - start) * 1000) / ops;
  };
  await runFor(options.timeMs / 4);
  const rounds: number[] = [];
  for (let r = 0; r < options.rounds; r++) rounds.push(await runFor(options.timeMs));
  return median(rounds);
}

/** A node-redis client to the local test server, or null when none answers. */
async function connectRedis() {
  try {
    const client = createClient({
      url: await requireService("REDIS_URL"),
      disableOfflineQueue: true,
    });
    client.on("error", () => undefined);
    await client.connect();
    return client;
  } catch (error) {
    process.stderr.write(`tokens bench: no Redis row (${(error as Error).message})\n`);
    return null;
  }
}

function store() {
  return new MemoryStore({ sweepIntervalMs: 0, maxEntries: Number.POSITIVE_INFINITY });
}

const benchmark: Benchmark = {
  id: "tokens",
  title: "@tessera/tokens against jose",
  run: async (options) => {
    const secretKeys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
    const hs = createTokens({
      keys: secretKeys,
      store: store(),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const hsToken = (await hs.issue("u1", { claims: { scope: "read" } })).accessToken;
    const hsKey = await crypto.subtle.importKey(
      "raw",
      deriveKey(secretKeys, "jwt-hs256", {
        context: "tessera-tokens-at",
      }) as Uint8Array<ArrayBuffer>,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );

    const pair = await generateKeyPair("EdDSA", { id: "ed-1" });
    const ed = createTokens({
      keys: createKeyring([pair]),
      algorithm: "EdDSA",
      store: store(),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const edToken = (await ed.issue("u1")).accessToken;

    const checked = createTokens({
      keys: secretKeys,
      store: store(),
      issuer: ISSUER,
      audience: AUDIENCE,
      denyList: true,
      checkRevocation: true,
    });
    const checkedToken = (await checked.issue("u1")).accessToken;

    const rows = await compare(
      [
        {
          case: "verify an HS256 access token",
          ours: () => hs.verify(hsToken),
          peer: () => jwtVerify(hsToken, hsKey, peerOptions("HS256")),
          peerName: "jose@6 jwtVerify, key imported once",
          target: 0.9,
        },
        {
          case: "verify an HS256 access token (peer without maxTokenAge)",
          ours: () => hs.verify(hsToken),
          peer: () => jwtVerify(hsToken, hsKey, bareOptions("HS256")),
          peerName: "jose@6 jwtVerify, no future-iat check",
        },
        {
          case: "verify an EdDSA access token",
          ours: () => ed.verify(edToken),
          peer: () => jwtVerify(edToken, pair.publicKey, peerOptions("EdDSA")),
          peerName: "jose@6 jwtVerify, key imported once",
          target: 0.9,
        },
        {
          case: "verify HS256 + deny list + family check (MemoryStore)",
          ours: () => checked.verify(checkedToken),
          peer: () => jwtVerify(checkedToken, hsKey, peerOptions("HS256")),
          peerName: "jose@6 jwtVerify (no revocation check)",
        },
      ],
      options,
    );

    const refreshed = async (tokens: Tokens) => {
      let token = (await tokens.issue("u1")).refreshToken;
      return async () => {
        const next = await tokens.refresh(token);
        if (!next.ok) throw new Error(`refresh failed: ${next.reason}`);
        token = next.pair.refreshToken;
      };
    };
    const extra: Array<[string, () => Promise<unknown>]> = [
      ["issue a pair, HS256 (MemoryStore)", () => hs.issue("u1")],
      ["refresh round trip, HS256 (MemoryStore)", await refreshed(hs)],
      ["refresh round trip, EdDSA (MemoryStore)", await refreshed(ed)],
    ];
    const redis = await connectRedis();
    if (redis !== null) {
      const viaRedis = createTokens({
        keys: secretKeys,
        store: new RedisStore({
          client: fromNodeRedis(redis),
          prefix: `tessera-bench:tokens:${Date.now().toString(36)}:`,
        }),
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      extra.push(["refresh round trip, HS256 (Redis, node-redis)", await refreshed(viaRedis)]);
    }
    const own: Row[] = [];
    for (const [label, op] of extra) {
      own.push({
        case: label,
        ours: await timeAsync(op, options),
        unit: "µs/op",
        note: `median of ${options.rounds} rounds; no peer`,
      });
    }
    await redis?.quit();
    return [...rows, ...own];
  },
};

export default benchmark;
