import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCookie, serializeSetCookie } from "@tessera/cookie";

/**
 * The demo's request handler. Until the session manager lands this is a
 * minimal page that shows @tessera/cookie at work: it counts visits in a
 * cookie written with the secure defaults (browsers treat http://localhost
 * as a secure context, so `Secure` works there too).
 */
export function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname !== "/") {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
    return;
  }
  const cookies = parseCookie(req.headers.cookie ?? "");
  const previous = Number.parseInt(cookies["__Host-visits"] ?? "0", 10);
  const visits = Number.isSafeInteger(previous) && previous >= 0 ? previous + 1 : 1;
  res.setHeader(
    "set-cookie",
    serializeSetCookie("__Host-visits", String(visits), {
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
    }),
  );
  res.setHeader("cache-control", "no-store");
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.end(page(visits));
}

function page(visits: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2430}
code{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Tessera demo</h1>
<p>You have visited this page <strong id="visits">${visits}</strong> time${visits === 1 ? "" : "s"}.</p>
<p>The count lives in a <code>__Host-visits</code> cookie written by <code>@tessera/cookie</code>
with <code>HttpOnly; Secure; SameSite=Lax; Path=/</code>.</p></body></html>`;
}
