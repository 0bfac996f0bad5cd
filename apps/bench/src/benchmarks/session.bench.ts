/**
 * Session load + commit against the managers a user would otherwise pick:
 * express-session on its MemoryStore (stateful) and iron-session (stateless).
 *
 * express-session is a Connect middleware; it is driven here with minimal
 * req/res mocks (headers, setHeader/getHeader, writeHead, end), the way Node's
 * http server would: the middleware runs, the "handler" reads or changes the
 * session and calls res.end(), which makes express-session save or touch.
 * Both sides receive the same raw Cookie header of one pre-created session.
 */

// @tessera/session is not (yet) a dependency of apps/bench; read its build directly.
import { createSessions } from "@tessera/session";
import { createKeyring, randomToken } from "@tessera/signing";
import { MemoryStore } from "@tessera/store";
import { parseCookie as peerParseCookie } from "cookie";
import expressSession from "express-session";
import { getIronSession } from "iron-session";
import { type Benchmark, compare } from "../harness.js";

type Counter = { n: number; user: string };

const keys = createKeyring([{ id: "k1", secret: randomToken(32) }]);
const ours = createSessions<Counter>({ keys, store: new MemoryStore({ sweepIntervalMs: 0 }) });
const oursStateless = createSessions<Counter>({ keys });

function cookiePair(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf(";"));
}

async function oursHeader(sessions: typeof ours): Promise<string> {
  const s = await sessions.load("");
  s.set("n", 0);
  s.set("user", "u_42");
  return cookiePair((await sessions.commit(s))[0]!);
}

async function oursRound(sessions: typeof ours, header: string, change: boolean): Promise<unknown> {
  const s = await sessions.load(header);
  if (change) s.set("n", (s.get("n") ?? 0) + 1);
  else s.get("n");
  return sessions.commit(s);
}

// ---- express-session, driven with http-like mocks ----

const secret = randomToken(32);
const peerStore = new expressSession.MemoryStore();
const middleware = expressSession({
  secret,
  store: peerStore,
  resave: false,
  saveUninitialized: false,
  name: "__Host-sid",
  cookie: { secure: true, httpOnly: true, sameSite: "lax", path: "/" },
});

interface MockRes {
  statusCode: number;
  _header: string | null;
  headers: Record<string, unknown>;
  setHeader(name: string, value: unknown): void;
  getHeader(name: string): unknown;
  removeHeader(name: string): void;
  writeHead(status: number): MockRes;
  _implicitHeader(): void;
  write(): boolean;
  end(): boolean;
}

function expressRound(cookieHeader: string, handle: (session: Record<string, unknown>) => void) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const req = {
      headers: { cookie: cookieHeader },
      url: "/",
      originalUrl: "/",
      method: "GET",
      connection: { encrypted: true },
    } as unknown as Parameters<typeof middleware>[0];
    const res: MockRes = {
      statusCode: 200,
      _header: null,
      headers: {},
      setHeader(name, value) {
        this.headers[name.toLowerCase()] = value;
      },
      getHeader(name) {
        return this.headers[name.toLowerCase()];
      },
      removeHeader(name) {
        delete this.headers[name.toLowerCase()];
      },
      writeHead() {
        this._header = "HTTP/1.1 200 OK";
        return this;
      },
      _implicitHeader() {
        this.writeHead(this.statusCode);
      },
      write() {
        return true;
      },
      end() {
        if (this._header === null) this.writeHead(this.statusCode);
        resolve(this.headers);
        return true;
      },
    };
    middleware(req, res as unknown as Parameters<typeof middleware>[1], (err?: unknown) => {
      if (err) return reject(err);
      handle((req as unknown as { session: Record<string, unknown> }).session);
      res.end();
    });
  });
}

async function expressHeader(): Promise<string> {
  const headers = await expressRound("", (s) => {
    s.n = 0;
    s.user = "u_42";
  });
  const setCookie = headers["set-cookie"] as string[];
  return cookiePair(setCookie[0]!);
}

// ---- iron-session ----

const ironOptions = {
  cookieName: "__Host-sess",
  password: randomToken(32),
  cookieOptions: { secure: true, httpOnly: true, sameSite: "lax" as const, path: "/" },
};

function ironCookies(header: string, out: string[]) {
  const parsed = peerParseCookie(header);
  return {
    get: (name: string) => {
      const value = parsed[name];
      return value === undefined ? undefined : { name, value };
    },
    set: (name: string, value: string) => {
      out.push(`${name}=${value}`);
    },
  };
}

async function ironRound(header: string, change: boolean): Promise<unknown> {
  const out: string[] = [];
  const session = await getIronSession<Counter>(ironCookies(header, out), ironOptions);
  if (change) {
    session.n = (session.n ?? 0) + 1;
    await session.save();
  } else {
    void session.n;
  }
  return out;
}

async function ironHeader(): Promise<string> {
  const out: string[] = [];
  const session = await getIronSession<Counter>(ironCookies("", out), ironOptions);
  session.n = 0;
  session.user = "u_42";
  await session.save();
  return out[0]!;
}

const benchmark: Benchmark = {
  id: "session",
  title: "@tessera/session against express-session and iron-session",
  async run(options) {
    const ourCookie = await oursHeader(ours);
    const ourSealed = await oursHeader(oursStateless);
    const peerCookie = await expressHeader();
    const ironCookie = await ironHeader();
    return compare(
      [
        {
          case: "stateful load + commit, unchanged session (MemoryStore)",
          ours: () => oursRound(ours, ourCookie, false),
          peer: () => expressRound(peerCookie, (s) => void s.n),
          peerName: "express-session@1.19.0",
          target: 2,
        },
        {
          case: "stateful load + commit, changed session (MemoryStore)",
          ours: () => oursRound(ours, ourCookie, true),
          peer: () =>
            expressRound(peerCookie, (s) => {
              s.n = ((s.n as number) ?? 0) + 1;
            }),
          peerName: "express-session@1.19.0",
          target: 1.5,
        },
        {
          case: "stateless load + commit, unchanged session (sealed cookie)",
          ours: () => oursRound(oursStateless, ourSealed, false),
          peer: () => ironRound(ironCookie, false),
          peerName: "iron-session@9.0.1",
          target: 4,
        },
        {
          case: "stateless load + commit, changed session (sealed cookie)",
          ours: () => oursRound(oursStateless, ourSealed, true),
          peer: () => ironRound(ironCookie, true),
          peerName: "iron-session@9.0.1",
          target: 4,
        },
      ],
      options,
    );
  },
};

export default benchmark;
