import { describeError, equal, ok, type TestResult } from "./harness.js";

type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

/** The cookie a browser would keep from a response (first pair of the Set-Cookie). */
function sessionCookie(response: Response): string | undefined {
  const line = response.headers.getSetCookie()[0];
  return line?.split(";")[0];
}

/**
 * Real requests against a served `createApp()`: each step is one result.
 * `fetchFn` is the runtime's client (`fetch` over 127.0.0.1, or miniflare's
 * `dispatchFetch`).
 */
export async function serveScenario(
  fetchFn: Fetch,
  base: string,
  runtime: string,
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  let cookie = "";
  let preLogin = "";
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      results.push({ name: `serve ${runtime}: ${name}`, ok: true });
    } catch (error) {
      results.push({ name: `serve ${runtime}: ${name}`, ok: false, error: describeError(error) });
    }
  };
  const get = (path: string, withCookie = cookie) =>
    fetchFn(`${base}${path}`, withCookie ? { headers: { cookie: withCookie } } : {});

  await step("first request creates a session cookie", async () => {
    const response = await get("/", "");
    equal(response.status, 200, "status");
    equal(((await response.json()) as { visits: number }).visits, 1);
    const lines = response.headers.getSetCookie();
    equal(lines.length, 1, "one Set-Cookie field");
    ok(/^__Host-sid=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/.test(lines[0]!), lines[0]!);
    equal(response.headers.get("cache-control"), "no-store");
    ok(/cookie/i.test(response.headers.get("vary") ?? ""), "Vary: Cookie");
    cookie = sessionCookie(response)!;
  });
  await step("the cookie loads the session", async () => {
    const response = await get("/");
    equal(((await response.json()) as { visits: number }).visits, 2);
  });
  await step("login regenerates the id", async () => {
    preLogin = cookie;
    const response = await get("/login");
    equal(((await response.json()) as { userId: string }).userId, "u_42");
    const next = sessionCookie(response);
    ok(next !== undefined && next !== preLogin, "new cookie");
    cookie = next;
    const me = await get("/whoami");
    equal(((await me.json()) as { userId: string | null }).userId, "u_42");
  });
  await step("the pre-login cookie is dead", async () => {
    const me = await get("/whoami", preLogin);
    equal(((await me.json()) as { userId: string | null }).userId, null);
  });
  await step("a tampered cookie is no session, not an error", async () => {
    // One MAC character changed for a different one (a fixed suffix could be the original).
    const at = cookie.at(-5) === "A" ? "B" : "A";
    const response = await get("/whoami", `${cookie.slice(0, -5)}${at}${cookie.slice(-4)}`);
    equal(response.status, 200);
    equal(((await response.json()) as { userId: string | null }).userId, null);
  });
  await step("logout clears the cookie and kills the id", async () => {
    const response = await get("/logout");
    equal(response.status, 200);
    ok(/Max-Age=0/.test(response.headers.getSetCookie().join("\n")), "clearing cookie");
    const me = await get("/whoami");
    equal(((await me.json()) as { userId: string | null }).userId, null);
  });
  return results;
}
