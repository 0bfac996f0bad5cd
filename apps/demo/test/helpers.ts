import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomToken } from "@tessera/signing";
import { createDemo, type Demo, type DemoOptions } from "../src/create-app.js";

/** scrypt cost for tests: the same code path, a fraction of the work. */
export const TEST_COST = { logN: 8, r: 8, p: 1 };

export interface Running {
  base: string;
  demo: Demo;
  close(): Promise<void>;
}

/** The demo app in-process on a free loopback port. */
export async function startDemo(options: Partial<DemoOptions> = {}): Promise<Running> {
  const demo = await createDemo({ secret: randomToken(32), passwordCost: TEST_COST, ...options });
  const server: Server = demo.app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    demo,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Reply {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
  setCookie: string[];
}

/**
 * A tiny browser over fetch: a cookie jar (names and values only; the
 * attributes are asserted separately), redirects not followed, and the CSRF
 * token of the last page it saw.
 */
export class Client {
  readonly jar = new Map<string, string>();
  csrf = "";
  constructor(
    readonly base: string,
    readonly userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36",
  ) {}

  get cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const response = await fetch(this.base + path, {
      method,
      redirect: "manual",
      headers: {
        "user-agent": this.userAgent,
        ...(this.jar.size > 0 ? { cookie: this.cookieHeader } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      if (/;\s*max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair!.slice(eq + 1));
    }
    const text = await response.text();
    const csrf = /name="_csrf" value="([^"]*)"/.exec(text)?.[1];
    if (csrf !== undefined) this.csrf = csrf;
    return {
      status: response.status,
      location: response.headers.get("location"),
      text,
      headers: response.headers,
      setCookie,
    };
  }

  get(path: string): Promise<Reply> {
    return this.request("GET", path);
  }

  /** POSTs a form with this client's current CSRF token (unless the fields set `_csrf`). */
  post(path: string, fields: Record<string, string> = {}, headers?: Record<string, string>) {
    return this.request("POST", path, { _csrf: this.csrf, ...fields }, headers);
  }

  async signUp(username: string, password: string): Promise<Reply> {
    await this.get("/signup");
    return this.post("/signup", { username, password });
  }

  async signIn(username: string, password: string): Promise<Reply> {
    await this.get("/signin");
    return this.post("/signin", { username, password });
  }
}
