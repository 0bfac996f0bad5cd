import { parseSetCookie } from "@tessera/cookie";
import { createSessions, type Session, type SessionsOptions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore, type SessionStore } from "@tessera/store";
import { ResponseCookies } from "next/dist/server/web/spec-extension/cookies.js";
import type { CookieJar, JarCookie } from "../src/lib/cookie-header.js";
import * as Next from "../src/next-sessions.js";

export const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);

/** A clock tests move by hand; the manager and its MemoryStore share it. */
export function clock(start = T0) {
  const c = { t: start, now: () => c.t, advance: (ms: number) => (c.t += ms) };
  return c;
}

export interface Data {
  count: number;
  note: string;
}

/** A manager on a MemoryStore, both on the test's clock, with a store call counter. */
export function setup(
  options: Partial<SessionsOptions> = {},
  nextOptions: Next.NextSessionsOptions = {},
) {
  const time = clock();
  const memory = new MemoryStore({ now: time.now, sweepIntervalMs: 0 });
  const calls = { set: 0, touch: 0, delete: 0 };
  const store: SessionStore = Object.assign(Object.create(memory) as SessionStore, {
    set: (...args: Parameters<SessionStore["set"]>) => {
      calls.set++;
      return memory.set(...args);
    },
    touch: (...args: Parameters<SessionStore["touch"]>) => {
      calls.touch++;
      return memory.touch(...args);
    },
    delete: (...args: Parameters<SessionStore["delete"]>) => {
      calls.delete++;
      return memory.delete(...args);
    },
  });
  const sessions = createSessions<Data, { notice: string }>({
    keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
    store,
    now: time.now,
    ...options,
  } as SessionsOptions);
  const request = new RequestScopeFake();
  const next = Next.bindNextSessions(sessions, nextOptions, request.scope);
  return { time, memory, calls, sessions, request, next, ...browse(request, next) };
}

/** A stateless manager (the whole session in its cookies) on the test's clock, with a browser. */
export function setupStateless() {
  const time = clock();
  const sessions = createSessions<{ blob: string }>({
    keys: createKeyring([{ id: "k1", secret: randomToken(32) }]),
    now: time.now,
  });
  const request = new RequestScopeFake();
  const next = Next.bindNextSessions(sessions, {}, request.scope);
  return { time, sessions, request, next, ...browse(request, next) };
}

/**
 * A browser on `next`: each call is one request that carries the browser's
 * cookies; `act` keeps what the action's response set, also when it threw
 * (a `redirect()` after a logout still clears the cookie).
 */
function browse<Data extends object, Flash extends object>(
  request: RequestScopeFake,
  next: Next.NextSessions<Data, Flash>,
) {
  const browser = new Browser();
  return {
    browser,
    /** A Server Action: `action` runs in `withSession`, the browser keeps the cookies set. */
    async act<T>(action: (session: Session<Data, Flash>) => T | Promise<T>): Promise<T> {
      request.begin(browser.header());
      try {
        return await next.withSession(action);
      } finally {
        browser.apply(request.jar.setCookie());
      }
    },
    /** A Server Component render: `getSession` for the browser's cookies. */
    read(): Promise<Next.ReadonlySession<Data, Flash>> {
      request.begin(browser.header());
      return next.getSession();
    },
  };
}

/**
 * One request as Next.js shows it to Server Components and Server Actions:
 * `headers()` is the request's headers as they arrived (Next.js never updates
 * them during the request), `cookies()` starts from the same `Cookie` header
 * and reflects what an action set, as Next.js does for the render after an
 * action. Writes are serialized by Next.js's own `ResponseCookies`.
 */
export class RequestScopeFake {
  header = "";
  userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0";
  jar = new FakeJar("");
  scope: Next.RequestScope = {
    headers: async () => new Headers({ cookie: this.header, "user-agent": this.userAgent }),
    cookies: async () => this.jar,
    cache: (fn) => fn,
  };
  /** Starts a new request carrying `header`. */
  begin(header: string): this {
    this.header = header;
    this.jar = new FakeJar(header);
    return this;
  }
}

export class FakeJar implements CookieJar {
  readonly values = new Map<string, string>();
  readonly sent = new Headers();
  readonly response = new ResponseCookies(this.sent);
  constructor(header: string) {
    for (const part of header.split(";")) {
      const eq = part.indexOf("=");
      if (eq === -1) continue;
      const name = part.slice(0, eq).trim();
      // Like Next.js's RequestCookies: one value per name.
      if (!this.values.has(name)) this.values.set(name, part.slice(eq + 1).trim());
    }
  }
  getAll(): JarCookie[] {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
  set(cookie: Parameters<CookieJar["set"]>[0]): void {
    this.values.set(cookie.name, cookie.maxAge === 0 ? "" : cookie.value);
    this.response.set(cookie);
  }
  /** The `Set-Cookie` lines Next.js would send. */
  setCookie(): string[] {
    return this.sent.getSetCookie();
  }
}

/** A browser's cookie jar: applies Set-Cookie lines, sends a Cookie header. */
export class Browser {
  cookies = new Map<string, string>();
  apply(lines: readonly string[]): this {
    for (const line of lines) {
      const parsed = parseSetCookie(line);
      if (parsed === null) throw new Error(`unparseable Set-Cookie: ${line}`);
      if (parsed.attributes.maxAge === 0) this.cookies.delete(parsed.name);
      else this.cookies.set(parsed.name, parsed.value);
    }
    return this;
  }
  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
  }
}
