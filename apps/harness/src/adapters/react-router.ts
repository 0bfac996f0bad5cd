import { createServer } from "node:http";
import { createRequestListener } from "@react-router/node";
import { createTesseraSessionStorage } from "@tessera/react-router";
import type { ServerBuild } from "react-router";
import { listen, type RunningApp } from "../lib/listen.js";
import { type AppSessions, ROUTES, route, toResponse } from "../lib/routes.js";

/**
 * React Router 7 on its Node server (`@react-router/node`) with
 * `@tessera/react-router`'s storage. The scenario routes are resource routes
 * (a loader or action, no component), so the build needs no React rendering;
 * each answers with `commitHeaders`, the storage's complete response headers.
 */
export function startReactRouter(sessions: AppSessions): Promise<RunningApp> {
  const storage = createTesseraSessionStorage(sessions);
  const handle = async ({ request }: { request: Request }) => {
    const session = await storage.getSession(request.headers.get("Cookie"));
    const reply = await route(sessions, session.tessera, request.method, request.url);
    const { status } = reply;
    const headers = await storage.commitHeaders(session, { method: request.method, status });
    const response = toResponse(reply);
    for (const [name, value] of headers) response.headers.append(name, value);
    return response;
  };
  // One route module per path: React Router sends GET, HEAD and OPTIONS to its
  // loader and the mutation methods (POST, ...) to its action.
  interface RouteEntry {
    id: string;
    parentId?: string;
    path: string;
    module: Record<string, unknown>;
  }
  const manifest: Record<string, RouteEntry> = { root: { id: "root", path: "", module: {} } };
  for (const { method, path } of ROUTES) {
    const id = `routes${path}`;
    manifest[id] ??= { id, parentId: "root", path: path.slice(1), module: {} };
    manifest[id].module[method === "POST" ? "action" : "loader"] = handle;
  }
  const build = {
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
  return listen(createServer(createRequestListener({ build, mode: "production" })));
}
