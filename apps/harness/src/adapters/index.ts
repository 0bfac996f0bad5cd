import type { RunningApp } from "../lib/listen.js";
import type { AppSessions } from "../lib/routes.js";
import { startExpress } from "./express.js";
import { startFastify } from "./fastify.js";
import { startFetch } from "./fetch.js";
import { startH3 } from "./h3.js";
import { startHono } from "./hono.js";
import { startKoa } from "./koa.js";
import { startNext } from "./next.js";
import { startReactRouter } from "./react-router.js";
import { startSvelteKit } from "./sveltekit.js";

/** The adapter axis of the matrix. */
export interface AdapterKind {
  name: string;
  description: string;
  start(sessions: AppSessions): Promise<RunningApp>;
}

export const ADAPTERS: readonly AdapterKind[] = [
  { name: "express", description: "Express 5 + `@tessera/express`", start: startExpress },
  { name: "fastify", description: "Fastify 5 + `@tessera/fastify`", start: startFastify },
  {
    name: "hono",
    description: "Hono 4 + `@tessera/hono` on `@hono/node-server`",
    start: startHono,
  },
  { name: "koa", description: "Koa 3 + `@tessera/koa` on `node:http`", start: startKoa },
  {
    name: "h3",
    description: "h3 1.x + `withSession` from `@tessera/h3` on `node:http`",
    start: startH3,
  },
  {
    name: "fetch",
    description: "a Fetch handler + `withSessions` from `@tessera/session`",
    start: startFetch,
  },
  {
    name: "next",
    description: "`proxy()` in front of a Route Handler wrapped by `route()` from `@tessera/next`",
    start: startNext,
  },
  {
    name: "react-router",
    description: "React Router 7 on `@react-router/node` + `@tessera/react-router`",
    start: startReactRouter,
  },
  {
    name: "sveltekit",
    description:
      "a SvelteKit build (adapter-node) with `sessionHandle` from `@tessera/sveltekit` in its hooks",
    start: startSvelteKit,
  },
];
