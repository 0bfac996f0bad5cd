/**
 * The server side of the store-backed HTTP benchmarks: a child process
 * (the bench file itself, told its role through the env) pinned to the
 * server core, and one session cookie per load connection, each made by a
 * first visit over HTTP, as a browser would.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { pinServer } from "./pin.js";

/** A running server child and the sessions made on it. */
export interface ServerChild {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** `name=value`, one per connection. */
  cookies: string[];
}

/** What {@link startServerChild} needs. */
export interface ServerChildOptions {
  /** The module to fork; it sends `{ port }` over IPC once it listens. */
  file: string;
  /** Extra environment: the role the child plays. */
  env: Record<string, string>;
  /** Node flags beyond this process's own. */
  execArgv?: readonly string[];
  /** Names the server in errors. */
  label: string;
  /** How many sessions to make. */
  sessions: number;
  /** Headers of the first visits (e.g. `x-forwarded-proto` behind a trusted proxy). */
  headers?: Record<string, string>;
}

/** Forks the server, waits for its port, and makes its sessions; kills it if any step fails. */
export async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const child = fork(options.file, [], {
    env: { ...process.env, ...options.env },
    execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  pinServer(child.pid);
  try {
    const [message] = (await Promise.race([
      once(child, "message"),
      once(child, "exit").then(([code]) => {
        throw new Error(`${options.label} server exited during startup with ${code}`);
      }),
    ])) as [{ port: number }];
    const base = `http://127.0.0.1:${message.port}`;
    const cookies: string[] = [];
    for (let i = 0; i < options.sessions; i++) {
      const response = await fetch(`${base}/`, options.headers ? { headers: options.headers } : {});
      const setCookie = response.headers.getSetCookie()[0];
      if (!response.ok || setCookie === undefined) {
        throw new Error(`${options.label}: no session created (${response.status})`);
      }
      cookies.push(setCookie.slice(0, setCookie.indexOf(";")));
    }
    return { child, base, cookies };
  } catch (error) {
    child.kill();
    throw error;
  }
}
