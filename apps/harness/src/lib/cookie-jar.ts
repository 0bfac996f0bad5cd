import { parseSetCookie } from "@tessera/cookie";

/** One response as the scenarios see it. */
export interface HttpReply {
  status: number;
  /** Parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  /** Raw `Set-Cookie` field values, one per field (never joined: a comma is part of an `Expires` date). */
  setCookie: string[];
  headers: Headers;
}

/**
 * A minimal browser-like cookie jar over Node's fetch, which keeps no
 * cookies of its own (and ignores `Secure`, so the default `__Host-`
 * configuration works over plain http on 127.0.0.1). Applies `Set-Cookie`
 * with `@tessera/cookie`'s `parseSetCookie`: a `Max-Age` <= 0 or an
 * `Expires` in the past removes the cookie, as RFC 6265bis §5.7 step 22 does.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** A second client that starts with this one's cookies (a copied/stolen cookie). */
  clone(): CookieJar {
    const copy = new CookieJar(this.baseUrl);
    for (const [name, value] of this.cookies) copy.set(name, value);
    return copy;
  }

  store(setCookie: readonly string[]): void {
    for (const line of setCookie) {
      const parsed = parseSetCookie(line);
      if (parsed === null) throw new Error(`unparseable Set-Cookie: ${line}`);
      const { maxAge, expires } = parsed.attributes;
      const gone =
        (maxAge !== undefined && maxAge <= 0) ||
        (maxAge === undefined && expires !== undefined && expires.getTime() <= Date.now());
      if (gone) this.cookies.delete(parsed.name);
      else this.cookies.set(parsed.name, parsed.value);
    }
  }

  /** One request with the jar's cookies; `extra` headers are sent as given (a bearer token, a cookie of the test's own). */
  async request(
    method: string,
    path: string,
    extra: Record<string, string> = {},
  ): Promise<HttpReply> {
    const headers: Record<string, string> = { "user-agent": "tessera-harness" };
    const cookie = this.header();
    if (cookie !== undefined) headers.cookie = cookie;
    Object.assign(headers, extra);
    const response = await fetch(this.baseUrl + path, { method, headers });
    const setCookie = response.headers.getSetCookie();
    this.store(setCookie);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // non-JSON bodies (a 503 page) stay text
    }
    return { status: response.status, body, setCookie, headers: response.headers };
  }

  read(path: string): Promise<HttpReply> {
    return this.request("GET", path);
  }

  post(path: string): Promise<HttpReply> {
    return this.request("POST", path);
  }
}
