/**
 * The load driver every HTTP benchmark shares: autocannon against one URL,
 * each connection holding one pre-created session cookie for the whole run,
 * as a browser would. A run with any non-2xx answer, error or timeout throws:
 * a figure from a failing server is not a figure.
 */
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

/** Runs one bounded autocannon load; throws when any request failed. */
export async function loadWithSessions(load: SessionLoad): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    requests: [
      {
        // The context is per connection: each connection keeps its own session.
        setupRequest: (request, context) => {
          const ctx = context as { cookie?: string };
          ctx.cookie ??= load.cookies[next++ % load.cookies.length] ?? "";
          return {
            ...request,
            headers: { ...request.headers, ...load.headers, cookie: ctx.cookie },
          };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `load run failed on ${load.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { rps: result.requests.average, total: result.requests.total };
}
