import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

// `pnpm --filter @tessera/demo start` is `tsx src/main.ts`: run exactly that, on a free port.
const root = fileURLToPath(new URL("..", import.meta.url));
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
  child = undefined;
});

function start(env: Record<string, string>): { output: () => string; exited: Promise<number> } {
  let out = "";
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, TESSERA_SECRET: "", TESSERA_STORE: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = once(child, "exit").then(([code]) => code as number);
  return { output: () => out, exited };
}

async function waitFor(output: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 300; i++) {
    const match = output().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in output:\n${output()}`);
}

describe("startup", () => {
  it("prints the secret note and the localhost URL, and serves pages", async () => {
    const run = start({ PORT: "0" });
    const [, url] = await waitFor(
      run.output,
      /Tessera demo listening on (http:\/\/localhost:\d+\/)/,
    );
    expect(run.output()).toContain("TESSERA_SECRET is not set");
    const port = new URL(url!).port;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Tessera demo");
  });

  it.each([
    [{ TESSERA_STORE: "mongo" }, /TESSERA_STORE is invalid/],
    [{ TESSERA_SECRET: "too-short" }, /TESSERA_SECRET must be base64url/],
  ])("refuses %j with a message and exit code 1", async (env, message) => {
    const run = start({ PORT: "0", ...env });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(message);
    expect(run.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
