/**
 * A real SvelteKit 2 app (test/app: the hook in src/hooks.server.js, `+server`
 * routes, a page with a form action), built with `vite build` and
 * `@sveltejs/adapter-node`, served by the adapter's own request handler over
 * real HTTP. Slower than the other tests: the build takes about half a minute.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, cookieOf, listen, send } from "./helpers.js";

const app = fileURLToPath(new URL("./app/", import.meta.url));
// Inside the package's node_modules: the build's server code resolves its
// imports from where it is written, and git never sees it.
const out = fileURLToPath(new URL("../node_modules/.kit-build/", import.meta.url));
const vite = fileURLToPath(new URL("../node_modules/vite/bin/vite.js", import.meta.url));
const NAME = "__Host-sid";

type NodeHandler = (req: unknown, res: unknown, next: () => void) => void;
let server: Server;
let base: string;

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [vite, "build"], {
    cwd: app,
    env: { ...process.env, TESSERA_KIT_OUT: `${out}out`, TESSERA_KIT_DIR: `${out}kit` },
    timeout: 240_000,
  });
  const { handler } = (await import(pathToFileURL(`${out}out/handler.js`).href)) as {
    handler: NodeHandler;
  };
  server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end();
    }),
  );
  base = await listen(server);
}, 300_000);

afterAll(async () => {
  if (server !== undefined) await close(server);
  (globalThis as { tesseraStoreDown?: boolean }).tesseraStoreDown = false;
});

describe("a SvelteKit app built with adapter-node", () => {
  it("counts in a +server route, with one cookie, no-store and Vary: Cookie; HEAD commits nothing", async () => {
    const first = await send(base, "/count");
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ n: 1, notice: null });
    expect(first.setCookie).toHaveLength(1);
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(String(first.headers.vary)).toMatch(/cookie/i);
    const cookie = cookieOf(first, NAME);
    const head = await send(base, "/count", { method: "HEAD", cookie });
    expect(head.status).toBe(200);
    expect(head.setCookie).toEqual([]);
    expect(JSON.parse((await send(base, "/count", { cookie })).body).n).toBe(2);
  });

  it("a form action accepts the session's CSRF token and refuses a forged one", async () => {
    const page = await send(base, "/form");
    expect(page.status).toBe(200);
    const cookie = cookieOf(page, NAME);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeDefined();
    const post = (token: string) =>
      send(base, "/form", {
        method: "POST",
        cookie,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          // A browser's form post, answered with the rendered page (not the JSON of use:enhance).
          accept: "text/html",
          // SvelteKit's own origin check: adapter-node sees https://<host> without ORIGIN.
          origin: `https://${new URL(base).host}`,
        },
        body: new URLSearchParams({ csrf: token, n: "40" }).toString(),
      });
    const forged = await post("forged");
    expect(forged.status).toBe(403);
    expect(forged.body).toContain("Form expired");
    const saved = await post(csrf as string);
    expect(saved.status).toBe(200);
    expect(saved.body).toContain("saved");
    expect(JSON.parse((await send(base, "/count", { cookie })).body).n).toBe(41);
  });

  it("login regenerates the cookie on SvelteKit's redirect, the flash is read once, logout clears", async () => {
    const anon = cookieOf(await send(base, "/count"), NAME);
    const login = await send(base, "/login?user=ada", { method: "POST", cookie: anon });
    expect(login.status).toBe(303);
    const authed = cookieOf(login, NAME);
    expect(authed).toBeDefined();
    expect(authed).not.toBe(anon);
    expect(JSON.parse((await send(base, "/count", { cookie: authed })).body)).toEqual({
      n: 2,
      notice: "welcome",
    });
    expect(JSON.parse((await send(base, "/count", { cookie: authed })).body).notice).toBeNull();
    expect(JSON.parse((await send(base, "/count", { cookie: anon })).body).n).toBe(1);
    const logout = await send(base, "/logout", { method: "POST", cookie: authed });
    expect(logout.setCookie[0]).toMatch(/^__Host-sid=;.*Max-Age=0/i);
    expect(JSON.parse((await send(base, "/count", { cookie: authed })).body).n).toBe(1);
  });

  it("answers a store outage with 503 and no cookie, then recovers", async () => {
    const cookie = cookieOf(await send(base, "/count"), NAME);
    const flag = globalThis as { tesseraStoreDown?: boolean };
    flag.tesseraStoreDown = true;
    try {
      const down = await send(base, "/count", { cookie });
      expect(down.status).toBe(503);
      expect(down.headers["retry-after"]).toBe("5");
      expect(down.setCookie).toEqual([]);
    } finally {
      flag.tesseraStoreDown = false;
    }
    expect(JSON.parse((await send(base, "/count", { cookie })).body).n).toBe(2);
  });
});
