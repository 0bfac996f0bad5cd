/**
 * The app under load, in its own process so that its memory is measured
 * alone and the load generator does not share its event loop. Started by
 * {@link runLoad} with `node --expose-gc --import tsx`; talks over IPC:
 *
 *   → { type: "ready", port }
 *   ← { type: "mem" }     → { type: "mem", rss, heapUsed }   (heapUsed after a full gc)
 *   ← { type: "check" }   → { type: "check", sessions: [{ cookie, acked, stored }] }
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createSessions } from "@tessera/session";
import { createKeyring, hashToken, randomToken } from "@tessera/signing";
import { type AppKind, type Data, startApp, unexpectedErrors } from "./app.js";
import { COOKIE } from "./http.js";
import { openStore, type StoreKind } from "./stores.js";

const appKind = process.env["REL_APP"] as AppKind;
const storeKind = process.env["REL_STORE"] as StoreKind;
const send = (message: unknown) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

const opened = await openStore(storeKind, { timeoutMs: 2000 });
const sessions = createSessions<Data, Data>({
  keys: createKeyring([{ id: "load", secret: randomToken(32) }]),
  store: opened.store,
  // Thousands of requests from one IP with fresh cookies are the load, not an attack.
  bruteforce: false,
});
const app = await startApp(appKind, sessions);

/** Increments acknowledged to the client (a 200 fully handed to the socket), per session cookie. */
const acked = new Map<string, number>();
let errors5xx = 0;
/** Requests whose response never finished (the client went away first). */
let aborted = 0;
let inFlight = 0;
app.server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
  inFlight += 1;
  res.on("close", () => {
    inFlight -= 1;
    if (!res.writableFinished) aborted += 1;
  });
  res.on("finish", () => {
    if (res.statusCode >= 500) errors5xx += 1;
    if (res.statusCode !== 200 || !req.url?.startsWith("/inc")) return;
    const fromRequest = /__Host-sid=([^;\s]+)/.exec(req.headers.cookie ?? "")?.[1];
    const set = res.getHeader("set-cookie");
    const lines = Array.isArray(set) ? set : set === undefined ? [] : [String(set)];
    const issued = lines
      .find((line) => line.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1)
      .split(";")[0];
    const cookie = issued ?? fromRequest;
    if (cookie !== undefined) acked.set(cookie, (acked.get(cookie) ?? 0) + 1);
  });
});

process.on("message", (message: { type: string }) => {
  if (message.type === "mem") {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: "mem", rss, heapUsed });
  } else if (message.type === "check") {
    void (async () => {
      // Requests still running when the load stopped finish (or fail) first.
      for (let i = 0; i < 100 && inFlight > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      const out: Array<{ cookie: string; acked: number; stored: number | null }> = [];
      for (const [cookie, count] of acked) {
        // The cookie is `token.kid.mac`; the store only knows SHA-256(token).
        const entry = await opened.store.get(hashToken(cookie.split(".")[0]!));
        const record = entry === null ? null : (JSON.parse(entry.value) as { data?: Data });
        const stored = record === null ? null : ((record.data?.["counter"] as number) ?? 0);
        out.push({ cookie, acked: count, stored });
      }
      send({
        type: "check",
        sessions: out,
        errors5xx,
        aborted,
        unexpected: unexpectedErrors.map(String),
      });
    })();
  } else if (message.type === "stop") {
    void app
      .close()
      .then(() => opened.close())
      .finally(() => process.exit(0));
  }
});

send({ type: "ready", port: app.port });
