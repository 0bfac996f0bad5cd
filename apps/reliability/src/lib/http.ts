import { connect } from "node:net";

export const COOKIE = "__Host-sid";

export interface Hit {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
  /** The session cookie's new value, if this response set one ("" when it cleared it). */
  session: string | undefined;
  headers: Headers;
  ms: number;
}

/** The `__Host-sid` value a set of Set-Cookie lines assigns, if any. */
export function sessionFrom(setCookie: readonly string[]): string | undefined {
  for (const line of setCookie) {
    if (line.startsWith(`${COOKIE}=`)) return line.slice(COOKIE.length + 1).split(";")[0];
  }
  return undefined;
}

/** One request through fetch; `cookie` is the session cookie value or a whole Cookie header. */
export async function hit(
  base: string,
  method: string,
  path: string,
  options: {
    cookie?: string;
    header?: string;
    body?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Hit> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.header !== undefined) headers["cookie"] = options.header;
  else if (options.cookie !== undefined) headers["cookie"] = `${COOKIE}=${options.cookie}`;
  const started = performance.now();
  const response = await fetch(base + path, { method, headers, body: options.body });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  const setCookie = response.headers.getSetCookie();
  return {
    status: response.status,
    body,
    setCookie,
    session: sessionFrom(setCookie),
    headers: response.headers,
    ms,
  };
}

/**
 * Sends raw bytes as an HTTP/1.1 request (for headers fetch would refuse to
 * send) and returns the status code of the answer, or 0 when the server
 * closed the connection without one.
 */
export function rawStatus(
  port: number,
  request: Uint8Array | string,
  timeoutMs = 5000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve(match === null ? 0 : Number(match[1]));
    };
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (/^HTTP\/1\.1 \d{3}/.test(data) && data.includes("\r\n\r\n")) socket.destroy();
    });
    socket.on("close", finish);
    socket.on("error", () => undefined);
    socket.write(request);
  });
}

/** A GET request with the given raw Cookie header bytes. */
export function rawCookieRequest(path: string, cookieBytes: Uint8Array): Uint8Array {
  const head = Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: `,
    "latin1",
  );
  return Buffer.concat([head, cookieBytes, Buffer.from("\r\n\r\n", "latin1")]);
}
