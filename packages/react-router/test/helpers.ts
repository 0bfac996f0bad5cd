import { createServer, type Server } from "node:http";
import { createRequestListener } from "@react-router/node";
import type { SessionsOptions } from "@tessera/session";
import { makeSessions as makeKitSessions } from "@tessera/test-kit";
import type { ServerBuild } from "react-router";
import { createTesseraSessionStorage, type TesseraSessionStorage } from "../src/index.js";

export interface AppData {
  n: number;
  user: string;
  big: string;
}
export interface AppFlash {
  notice: string;
}

/** The kit's manager with this app's exact data keys, which React Router's types follow. */
export function makeSessions(options: Partial<SessionsOptions> = {}) {
  return makeKitSessions<AppData, AppFlash>(options);
}

type Handler = (args: { request: Request }) => Promise<Response> | Response;

/**
 * The smallest server build React Router accepts: resource routes only (a
 * loader or action and no component), so no React rendering is involved.
 */
function serverBuild(routes: Record<string, { loader?: Handler; action?: Handler }>): ServerBuild {
  const manifest: Record<string, unknown> = {
    root: { id: "root", path: "", module: {} },
  };
  for (const [path, module] of Object.entries(routes)) {
    manifest[`routes/${path}`] = { id: `routes/${path}`, parentId: "root", path, module };
  }
  return {
    entry: { module: { default: () => new Response("no documents here", { status: 500 }) } },
    routes: manifest,
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "1" },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: {},
    ssr: true,
    isSpaMode: false,
    prerender: [],
    routeDiscovery: { mode: "initial", manifestPath: "/__manifest" },
  } as unknown as ServerBuild;
}

/**
 * A React Router app on its Node server (`@react-router/node`) written the
 * way its docs write one, over `storage`: a counter, login (with a flash
 * message), logout, and a page that sends `commitHeaders`; not yet listening
 * (`serversPerTest().listen` starts it).
 */
export function startApp(storage: TesseraSessionStorage<AppData, AppFlash>): Server {
  const { getSession, commitSession, destroySession } = storage;
  const cookieOf = (request: Request) => request.headers.get("Cookie");
  /** A 303 back to the counter that sends `setCookie`, as a form action answers. */
  const backToCounter = (setCookie: string) =>
    new Response(null, { status: 303, headers: { Location: "/counter", "Set-Cookie": setCookie } });
  const build = serverBuild({
    counter: {
      async loader({ request }) {
        const session = await getSession(cookieOf(request));
        const n = (session.get("n") ?? 0) + 1;
        session.set("n", n);
        const notice = session.get("notice") ?? null;
        return Response.json(
          { n, notice, user: session.get("user") ?? null },
          { headers: { "Set-Cookie": await commitSession(session) } },
        );
      },
    },
    login: {
      async action({ request }) {
        const session = await getSession(cookieOf(request));
        const user = new URL(request.url).searchParams.get("user") ?? "";
        await session.tessera.login(user, { carryOver: ["n"] });
        session.set("user", user);
        session.flash("notice", `welcome ${user}`);
        return backToCounter(await commitSession(session));
      },
    },
    logout: {
      async action({ request }) {
        return backToCounter(await destroySession(await getSession(cookieOf(request))));
      },
    },
    headers: {
      async loader({ request }) {
        const session = await getSession(cookieOf(request));
        session.set("n", (session.get("n") ?? 0) + 1);
        const headers = await storage.commitHeaders(session, {
          method: request.method,
          status: 200,
        });
        return new Response("ok", { headers });
      },
    },
  });
  return createServer(createRequestListener({ build, mode: "production" }));
}

export {
  cookieOf,
  expectOutageAnswers503,
  FlakyStore,
  send,
  serversPerTest,
  thrownBy,
} from "@tessera/test-kit";
export { createTesseraSessionStorage };
