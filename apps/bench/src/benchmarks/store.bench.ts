/**
 * @tessera/store's MemoryStore against express-session's MemoryStore.
 *
 * What is compared:
 * - Throughput: one `get` (hit) and one `set` (upsert) through each store's
 *   public API, awaited. express-session's store is callback-based and answers
 *   on `setImmediate`; it is wrapped in a promise, which is how a caller
 *   awaits it. Its API takes a session object and JSON-stringifies it on set
 *   (parses on get); ours takes an opaque string (the session manager encodes).
 *   Rows "… with JSON" make ours do the same JSON work, so the pair is like for like.
 * - Memory: heap bytes per session after a full gc, with 100k and 1M sessions
 *   of a 200-byte value, each store in its own child process (node --expose-gc).
 *   Ours stores a 43-char hashed key and a 200-char value; express-session
 *   stores its 32-char session id and the JSON of a session with a 200-char
 *   payload and the cookie object it always carries.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { MemoryStore } from "@tessera/store";
import session from "express-session";
import { type Benchmark, compare, type Row } from "../harness.js";

const PEER = "express-session@1.19.0 MemoryStore";
const HOUR = 3_600_000;

function cookieFor(expires: number) {
  return {
    originalMaxAge: HOUR,
    expires: new Date(expires).toISOString(),
    secure: true,
    httpOnly: true,
    path: "/",
    sameSite: "lax",
  };
}

/** Child-process side: fill one store with `n` sessions and print heap bytes per session. */
function measureMemory(which: "ours" | "ours-user" | "peer", n: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  const expires = Date.now() + HOUR;
  // Keys and values are created inside the measured window: they are what a
  // store holds per session, so their heap counts (random bytes give flat,
  // distinct strings, as real encodings do; 150 bytes are 200 base64url chars).
  const key = () => randomBytes(which === "peer" ? 24 : 32).toString("base64url");
  const value = () => randomBytes(150).toString("base64url");
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  let keep: unknown;
  if (which === "peer") {
    const store = new session.MemoryStore();
    for (let i = 0; i < n; i++) {
      const sess = { cookie: cookieFor(expires), payload: value() };
      store.set(key(), sess as unknown as session.SessionData);
    }
    keep = store;
  } else {
    const store = new MemoryStore({ maxEntries: n });
    for (let i = 0; i < n; i++) {
      const entry =
        which === "ours-user"
          ? { value: value(), expiresAt: expires, userId: `user-${i % 50_000}` }
          : { value: value(), expiresAt: expires };
      void store.set(key(), entry);
    }
    keep = store;
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (keep === undefined) throw new Error("unreachable");
  return (after - before) / n;
}

const child = process.env.TESSERA_STORE_MEMORY;
if (child !== undefined) {
  const [which, n] = child.split(":") as ["ours" | "ours-user" | "peer", string];
  // setImmediate lets express-session's deferred callbacks drain before the gc.
  setImmediate(() => {
    process.stdout.write(`${JSON.stringify({ bytes: measureMemory(which, Number(n)) })}\n`);
  });
}

function spawnMeasure(which: string, n: number): number {
  const tsx = import.meta.resolve("tsx");
  const result = spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=4096", "--import", tsx, fileURLToPath(import.meta.url)],
    { env: { ...process.env, TESSERA_STORE_MEMORY: `${which}:${n}` }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`memory child failed: ${result.stderr}`);
  const line = result.stdout.trim().split("\n").pop()!;
  return (JSON.parse(line) as { bytes: number }).bytes;
}

function memoryRows(): Row[] {
  const rows: Row[] = [];
  for (const n of [100_000, 1_000_000]) {
    const ours = spawnMeasure("ours", n);
    const peer = spawnMeasure("peer", n);
    rows.push({
      case: `heap per session, ${n.toLocaleString("en-US")} sessions, 200 B value`,
      ours,
      peer,
      peerName: PEER,
      unit: "B/session",
      ratio: peer / ours,
      note: "after gc, own process",
    });
  }
  rows.push({
    case: "heap per session, 100,000 sessions, 200 B value + userId (per-user index)",
    ours: spawnMeasure("ours-user", 100_000),
    unit: "B/session",
    note: "express-session has no per-user index",
  });
  return rows;
}

const benchmark: Benchmark = {
  id: "store",
  title: "@tessera/store MemoryStore against express-session's MemoryStore",
  async run(options) {
    const N = 10_000;
    const ours = new MemoryStore({ sweepIntervalMs: 0 });
    const peer = new session.MemoryStore();
    const ourKeys = Array.from({ length: N }, () => randomBytes(32).toString("base64url"));
    const peerKeys = Array.from({ length: N }, () => randomBytes(24).toString("base64url"));
    const payload = randomBytes(150).toString("base64url");
    const expires = Date.now() + 24 * HOUR;
    const data = { cookie: cookieFor(expires), payload };
    for (let i = 0; i < N; i++) {
      await ours.set(ourKeys[i]!, { value: JSON.stringify({ payload }), expiresAt: expires });
      peer.set(peerKeys[i]!, data as unknown as session.SessionData);
    }
    let i = 0;
    let j = 0;
    const peerGet = () =>
      new Promise((resolve, reject) =>
        peer.get(peerKeys[j++ % N]!, (err, s) => (err ? reject(err) : resolve(s))),
      );
    const peerSet = () =>
      new Promise<void>((resolve, reject) =>
        peer.set(peerKeys[j++ % N]!, data as unknown as session.SessionData, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    const rows = await compare(
      [
        {
          case: "get (hit), opaque string vs express-session's get + JSON.parse",
          ours: () => ours.get(ourKeys[i++ % N]!),
          peer: peerGet,
          peerName: PEER,
        },
        {
          case: "get (hit) with JSON.parse of the value",
          ours: async () => JSON.parse((await ours.get(ourKeys[i++ % N]!))!.value) as unknown,
          peer: peerGet,
          peerName: PEER,
        },
        {
          case: "set (upsert), opaque string vs express-session's JSON.stringify + set",
          ours: () => ours.set(ourKeys[i++ % N]!, { value: payload, expiresAt: expires }),
          peer: peerSet,
          peerName: PEER,
        },
        {
          case: "set (upsert) with JSON.stringify of the session",
          ours: () =>
            ours.set(ourKeys[i++ % N]!, { value: JSON.stringify(data), expiresAt: expires }),
          peer: peerSet,
          peerName: PEER,
        },
      ],
      options,
    );
    await ours.close();
    return [...rows, ...memoryRows()];
  },
};

export default benchmark;
