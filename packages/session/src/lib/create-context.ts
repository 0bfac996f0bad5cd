import { quietListener } from "@tessera/error-kit";
import type { Backend } from "./backend.js";
import { BruteforceDetector } from "./bruteforce.js";
import type { Context } from "./context.js";
import { cookieHeaderLimit } from "./limits.js";
import { PendingRevocations } from "./pending.js";
import { createPrimitives } from "./primitives.js";
import type { Settings } from "./settings.js";
import { reportStoreError } from "./store-call.js";

/** The manager's shared state, built once from its checked options and its backend. */
export function createContext(settings: Settings, backend: Backend): Context {
  const { now, onEvent, onBruteforce, cookie } = settings;
  const emit = quietListener(onEvent);
  const bruteforceHook = quietListener(onBruteforce);
  const detector = settings.bruteforce && new BruteforceDetector(settings.bruteforce);
  const window = (settings.bruteforce?.windowMs ?? 60_000) / 1000;

  const pending = new PendingRevocations({
    maxPending: 10_000,
    minDelayMs: 1000,
    maxDelayMs: 60_000,
    onError: (key, error, operation) => reportStoreError(ctx, operation, error, key),
    onDone: (key) => emit({ type: "destroyed", at: now(), session: key, reason: "logout" }),
    // Bounded: past 10,000 owed deletes the oldest is left to its store TTL, and said so.
    onDropped: (key) =>
      emit({
        type: "store_error",
        at: now(),
        operation: "delete",
        session: key,
        error: "ERR_SESSION_RETRY_DROPPED",
      }),
  });

  const ctx: Context = {
    backend,
    crypto: createPrimitives(settings.keys, cookie.name),
    cookie,
    writeSessionCookie: settings.writeSessionCookie,
    timeouts: settings.timeouts,
    maxRetries: settings.maxRetries,
    maxSize: settings.maxSize,
    maxCookieSize: settings.maxCookieSize,
    cookieHeaderLimit: cookieHeaderLimit(settings.maxCookieSize),
    maxDepth: settings.maxDepth,
    encryptAtRest: settings.encryptAtRest,
    saveUninitialized: settings.saveUninitialized,
    maxSessionsPerUser: settings.maxSessionsPerUser,
    sessionLimit: settings.sessionLimit,
    binding: settings.binding,
    renewAfterMs: settings.renewAfterMs,
    renewGraceMs: settings.renewGraceMs,
    pending,
    tokenMode: settings.tokenMode,
    noteRejected(reason, ip, at) {
      const count = detector?.note(reason, ip, at);
      if (count === undefined || ip === undefined) return;
      emit({ type: "bruteforce", at, ip, count, window });
      bruteforceHook({ ip, count, window });
    },
    now,
    emit,
    listening: onEvent !== undefined,
  };
  return ctx;
}
