import { parseSetCookie } from "@tessera/cookie";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, type SessionStore } from "@tessera/store";
import { expect } from "vitest";
import {
  createSessions,
  type SealedSessionsOptions,
  SessionError,
  type SessionEvent,
  type SessionsOptions,
  type StoredSessionsOptions,
} from "../src/index.js";

/** Options of either mode at once: `setup` picks the mode, `createSessions` refuses a bad mix. */
export type AnyModeOptions = Omit<StoredSessionsOptions, "revocationStore"> &
  Pick<SealedSessionsOptions, "revocationStore">;

export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export function keyring() {
  return createKeyring([{ id: "k1", secret: randomToken(32) }]);
}

/** A clock tests move by hand. */
export function clock(start = T0) {
  const c = { t: start, now: () => c.t, advance: (ms: number) => (c.t += ms) };
  return c;
}

/** A browser cookie jar that obeys Max-Age=0 deletions. */
export class Jar {
  cookies = new Map<string, string>();
  apply(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const parsed = parseSetCookie(line);
      if (parsed === null) throw new Error(`unparseable Set-Cookie: ${line}`);
      if (parsed.attributes.maxAge === 0) this.cookies.delete(parsed.name);
      else this.cookies.set(parsed.name, parsed.value);
    }
  }
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
  }
  clone(): Jar {
    const jar = new Jar();
    jar.cookies = new Map(this.cookies);
    return jar;
  }
}

/** Wraps a store so tests can count and fail calls. */
export function spyStore(inner: SessionStore = new MemoryStore({ sweepIntervalMs: 0 })) {
  const calls: Record<string, number> = { get: 0, set: 0, touch: 0, delete: 0 };
  const fail = new Set<string>();
  const wrap =
    <K extends "get" | "set" | "touch" | "delete">(name: K) =>
    // biome-ignore lint/suspicious/noExplicitAny: forwarding arbitrary store arguments
    async (...args: any[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      if (fail.has(name)) {
        const { StoreUnavailableError } = await import("@tessera/store");
        throw new StoreUnavailableError("injected outage");
      }
      // biome-ignore lint/suspicious/noExplicitAny: forwarding arbitrary store arguments
      return (inner[name] as any).apply(inner, args);
    };
  const store: SessionStore = {
    get: wrap("get"),
    set: wrap("set"),
    touch: wrap("touch"),
    delete: wrap("delete"),
    ...(inner.listByUser
      ? {
          listByUser: (u: string) => inner.listByUser!(u),
          deleteByUser: (u: string, o?: { exceptKey?: string }) => inner.deleteByUser!(u, o),
        }
      : {}),
  };
  return { store, calls, fail, inner };
}

export interface Data extends Record<string, unknown> {
  cart: number[];
  theme: "light" | "dark";
  n: number;
  role: string;
  blob: string;
}

/**
 * `storeLagMs` runs the store's clock behind the manager's, so entries outlive
 * their deadline in the store and the manager's own expiry checks are exercised
 * (as with a store on a skewed clock, or one that rounds TTLs up). Pass `c`
 * when the test builds another component (a revocation store, say) that must
 * read the same clock: a store on the real clock would see the test's instants
 * drift into its past as the calendar moves on.
 */
export function setup(
  options: Partial<AnyModeOptions> = {},
  stateless = false,
  storeLagMs = 0,
  c = clock(),
) {
  const events: SessionEvent[] = [];
  const spy = spyStore(new MemoryStore({ sweepIntervalMs: 0, now: () => c.now() - storeLagMs }));
  const keys = options.keys ?? keyring();
  const sessions = createSessions<Data, { notice: string }>({
    keys,
    ...(stateless ? {} : { store: spy.store }),
    now: c.now,
    onEvent: (e) => events.push(e),
    ...options,
  } as SessionsOptions);
  const jar = new Jar();
  /** One request: load from the jar, run `fn`, commit into the jar. */
  async function request<R>(
    fn: (s: Awaited<ReturnType<typeof sessions.load>>) => R | Promise<R>,
    from: Jar = jar,
  ) {
    const session = await sessions.load(from.header());
    const result = await fn(session);
    const setCookies = await sessions.commit(session);
    from.apply(setCookies);
    return { session, result, setCookies };
  }
  /** Two concurrent requests' loads of the session in `from`, before either commits. */
  async function loadTwice(from: Jar = jar) {
    return [await sessions.load(from.header()), await sessions.load(from.header())] as const;
  }
  return { sessions, clock: c, events, spy, jar, keys, request, loadTwice };
}

/** The `SessionError` code `run` throws or rejects with, the error itself if another, or "no error". */
export async function errorCode(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return SessionError.isInstance(error) ? error.code : error;
  }
  return "no error";
}

/** Asserts that `events` holds an event with at least `fields` (any other fields may differ). */
export function expectEvent(
  events: readonly SessionEvent[],
  fields: Record<string, unknown>,
): void {
  expect(events).toContainEqual(expect.objectContaining(fields));
}
