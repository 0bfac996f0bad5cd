/**
 * The load driver every HTTP benchmark shares: autocannon against one URL,
 * each connection holding one pre-created session cookie for the whole run,
 * as a browser would. A run with any non-2xx answer, error or timeout throws:
 * a figure from a failing server is not a figure.
 */
import { type Agent, request } from "node:http";
import autocannon from "autocannon";

/** What {@link loadWithSessions} needs. */
export interface SessionLoad {
  /** Full URL, path included. */
  url: string;
  /** `name=value` cookies, one per connection (reused round-robin if fewer). */
  cookies: readonly string[];
  /** Seconds of load. */
  seconds: number;
  /** Concurrent connections. */
  connections: number;
  /** Extra request headers (e.g. `x-forwarded-proto`). */
  headers?: Record<string, string>;
}

/** Requests per second (average) and the number of requests answered. */
export interface LoadResult {
  rps: number;
  total: number;
}

/**
 * Runs one bounded autocannon load; throws when any request failed.
 *
 * The cookie is fixed per connection in `setupClient`. A `setupRequest`
 * context is not per connection for long: autocannon resets it each time a
 * client wraps around its requests list (after every request when there is
 * one), so a context-held cookie moved between connections and two
 * connections wrote one session at once, which a versioned store answers
 * with conflicts and merge retries (a store without versions silently loses
 * updates instead, so only one side paid for it).
 */
export async function loadWithSessions(load: SessionLoad): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    setupClient: (client) => {
      const cookie = load.cookies[next++ % load.cookies.length] ?? "";
      client.setHeaders({ ...load.headers, cookie });
    },
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `load run failed on ${load.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.average, total: result.requests.total };
}

/**
 * One request to `/` with `cookie` (none for a first visit): resolves with
 * the `name=value` pairs of the Set-Cookie headers it answered with, which
 * for a first visit is the session that connection keeps.
 */
export function visit(port: number, cookie = "", agent: Agent | false = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = cookie === "" ? {} : { cookie };
    const req = request({ host: "127.0.0.1", port, path: "/", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => {
        const set = res.headers["set-cookie"] ?? [];
        resolve(set.map((c) => c.slice(0, c.indexOf(";"))).join("; "));
      });
    });
    req.on("error", reject);
    req.end();
  });
}
