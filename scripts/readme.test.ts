/**
 * The docs test: every TypeScript/JavaScript block of every README is
 * type-checked under `strict` with `skipLibCheck: false` against the packages
 * as a user installs them (the packed tarballs, installed with npm into a
 * scratch app; nothing linked from the workspace), and the runnable blocks are
 * run. Then each package README's install line is installed alone with pnpm
 * (isolated, nothing hoisted) and its quick start compiled and run there, so
 * an import the install line or a package.json forgot fails.
 *
 * Runnable blocks run against the test services (`.env.services`, see
 * {@link SERVICE_VARIABLES}); a block that starts a server is served on
 * 127.0.0.1 and a free port and sent requests (see {@link serve}); the quick
 * starts of the Web-runtime READMEs also run on Bun and Deno.
 *
 * How a README marks a block that is not a whole program: scripts/docs/readme-blocks.ts.
 * Needs the build (`pnpm build`; `npm test` builds first), the test services,
 * the full install (Bun and Deno come with apps/runtimes) and the npm registry
 * (or a warm npm and pnpm cache). Scratch apps live in the system temp dir.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type DirectiveError,
  importedPackages,
  installLine,
  type ReadmeBlock,
  readmeBlocks,
  readReadme,
} from "./docs/readme-blocks.js";
import {
  type BlockFile,
  type Packed,
  packAll,
  sh,
  toJavaScript,
  typecheck,
  userCompilerOptions,
  workspaceVersion,
  writeBlock,
  writeJson,
} from "./docs/scratch.js";
import { requireService } from "./test-env.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// One scratch folder per checkout: two checkouts testing at once on one
// machine must not delete each other's tarballs.
const scratch = join(
  tmpdir(),
  `tessera-docs-test-${createHash("sha256").update(root).digest("hex").slice(0, 12)}`,
);
const npmApp = join(scratch, "npm");
const pnpmRoot = join(scratch, "pnpm");

/** Every README a user reads: the root one, each package's, the demo's. */
function readmes(): string[] {
  const out = ["README.md"];
  for (const group of ["packages", "apps"]) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      if (readdirSync(join(root, group, entry)).includes("README.md")) {
        out.push(`${group}/${entry}/README.md`);
      }
    }
  }
  return out;
}

const blocks: ReadmeBlock[] = [];
const directiveErrors: DirectiveError[] = [];
for (const file of readmes()) {
  const found = readmeBlocks(file, readReadme(root, file));
  blocks.push(...found.blocks);
  directiveErrors.push(...found.errors);
}
const where = (b: ReadmeBlock) => `${b.file}:${b.line}`;
/**
 * READMEs whose code is being rewritten on another branch (the Fastify and Hono
 * adapters' typing, issue 21 item 1): their blocks are type-checked and the
 * errors printed, but not counted, and not run, until that branch is merged and
 * they carry their docs-test marks. Remove an entry once its README is merged.
 */
const AWAITING_MERGE = new Set<string>([]);
/** Upstream declaration bugs any user meets with `skipLibCheck: false` (h3 1.x names the Service Worker `FetchEvent`; @types/koa reads a hoisted content-disposition 2): printed, not counted. */
const UPSTREAM =
  /node_modules\/(h3\/dist\/index\.d\.ts\(\d+,\d+\): TS2552: Cannot find name 'FetchEvent'|@types\/koa\/index\.d\.ts\(\d+,\d+\): TS2694: .*content-disposition)/;
const awaiting = (message: string) =>
  UPSTREAM.test(message) || [...AWAITING_MERGE].some((f) => message.startsWith(`${f}:`));
/** Splits compiler messages into failures and the printed-only ones of {@link AWAITING_MERGE}. */
function counted(messages: string[]): string[] {
  for (const m of messages.filter(awaiting)) console.warn(`awaiting merge, not counted: ${m}`);
  return messages.filter((m) => !awaiting(m));
}
const runs = (b: ReadmeBlock) => b.mode === "run" && !AWAITING_MERGE.has(b.file);
/** The migration block of the Express README (it is checked with and without @types/express-session). */
const migration = blocks.find(
  (b) => b.file === "packages/express/README.md" && /from "connect-redis"/.test(b.code),
);
/** express-session's types declare req.session globally: blocks that load them get a program of their own. */
const ownProgram = (b: ReadmeBlock) =>
  /declare\s+(module|global)\b/.test(`${b.setup}\n${b.code}`) ||
  importedPackages(`${b.setup}\n${b.code}`).some(
    (p) => p === "connect-redis" || p === "express-session",
  );

let packed: Packed[] = [];
const tarballOf = (name: string) => packed.find((p) => p.name === name)?.tarball;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/** The peer dependencies of one of our packages (none for anything else). */
function peerDependenciesOf(name: string): string[] {
  const dir = packed.find((p) => p.name === name)?.dir;
  if (dir === undefined) return [];
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    peerDependencies?: Record<string, string>;
  };
  return Object.keys(manifest.peerDependencies ?? {});
}

/** A dependency spec: the tarball for our packages, the workspace's version for the rest. */
function spec(name: string): string {
  const tarball = tarballOf(name);
  return tarball === undefined ? workspaceVersion(root, name) : `file:${tarball}`;
}

/** Overrides so a package's own `@tessera/*` dependencies resolve to the tarballs too, never the registry. */
function ourOverrides(): Record<string, string> {
  return Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
}

/**
 * The test services stand in for the servers the READMEs name. A block that
 * reads one of these variables gets the test service's value...
 */
const SERVICE_VARIABLES: Readonly<Record<string, string>> = {
  DATABASE_URL: "DATABASE_URL_PG",
  REDIS_URL: "REDIS_URL",
};
/**
 * ... and an address a block writes out is replaced by the test service's in
 * the code that runs (the README keeps the address a reader would use).
 */
const SERVICE_ADDRESSES: Readonly<Record<string, string>> = {
  "redis://127.0.0.1:6379": "REDIS_URL",
  "127.0.0.1:11211,127.0.0.1:11212": "MEMCACHED_SERVERS",
};
/** The environment the blocks run with (filled in beforeAll). */
const blockEnv: NodeJS.ProcessEnv = { ...process.env };
const addresses = new Map<string, string>();

/** The block as the JavaScript module that runs, the test services in place of the README's addresses. */
function runnable(block: ReadmeBlock): string {
  let js = toJavaScript(block);
  for (const [documented, actual] of addresses) js = js.replaceAll(documented, actual);
  return js;
}

/** READMEs of packages that claim Bun and Deno, whose quick starts run there too. */
const WEB_RUNTIME_READMES = new Set(["packages/hono/README.md", "packages/session/README.md"]);
/** Bun and Deno as the runtime matrix installs them (apps/runtimes), with how each runs a module. */
function webRuntimes(): Array<{ name: string; command: string[] }> {
  const resolve = createRequire(join(root, "apps", "runtimes", "package.json")).resolve;
  const dirOf = (name: string) => dirname(resolve(`${name}/package.json`));
  return [
    // The bun package names its binary bun.exe on every platform.
    { name: "Bun", command: [join(dirOf("bun"), "bin", "bun.exe"), "run"] },
    {
      name: "Deno",
      // No permission flags: the quick starts need no file, network or env access.
      command: [
        join(dirOf("deno"), "deno"),
        "run",
        "--node-modules-dir=manual",
        "--no-lock",
        "--no-prompt",
        "--no-config",
      ],
    },
  ];
}

/** Runs `command file` in `cwd` with the blocks' environment; the failure, or undefined. */
function runToEnd(command: string[], file: string, cwd: string): string | undefined {
  const [bin = process.execPath, ...args] = command;
  const timeout = 30_000;
  const result = spawnSync(bin, [...args, file], { cwd, env: blockEnv, encoding: "utf8", timeout });
  if (result.status === 0) return undefined;
  const why = result.error
    ? result.error.message
    : result.signal
      ? `killed by ${result.signal} (timeout ${timeout} ms?)`
      : `exit ${result.status}`;
  return `${why}\n${(result.stderr ?? "").trim() || (result.stdout ?? "").trim()}`;
}

/** A block that starts a server and stays up. */
const listens = (block: ReadmeBlock) => /\.listen\(/.test(block.code);
const LISTENING = "@@docs-test listening ";
/**
 * Loaded before a server block: whatever port and host it listens on, it
 * listens on 127.0.0.1 and a free port, and prints the port (once: Fastify
 * opens a second server for `localhost`'s other address).
 */
const LISTEN_PRELOAD = `import net from "node:net";
const listen = net.Server.prototype.listen;
let told = false;
net.Server.prototype.listen = function (...args) {
  const callbacks = args.filter((a) => typeof a === "function");
  const first = args[0];
  const options = typeof first === "object" && first !== null && "port" in first
    ? [{ ...first, port: 0, host: "127.0.0.1" }]
    : [0, "127.0.0.1"];
  this.once("listening", () => {
    if (told) return;
    told = true;
    process.stdout.write(${JSON.stringify(LISTENING)} + this.address().port + "\\n");
  });
  return listen.apply(this, [...options, ...callbacks]);
};
`;

/**
 * Starts a server block on a free port, waits until it listens, sends it the
 * requests of `exercise` and stops it; the failure, or undefined.
 */
async function serve(
  file: string,
  cwd: string,
  exercise: (base: string) => Promise<void>,
): Promise<string | undefined> {
  const preload = join(scratch, "listen-on-a-free-port.mjs");
  writeFileSync(preload, LISTEN_PRELOAD);
  const child = spawn(process.execPath, ["--import", pathToFileURL(preload).href, file], {
    cwd,
    env: blockEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, "exit");
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("not listening after 30 s")), 30_000);
      const look = () => {
        const match = new RegExp(`${LISTENING}(\\d+)`).exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on("data", look);
      void exited.then(() =>
        reject(new Error(`exited with ${child.exitCode ?? child.signalCode}`)),
      );
    });
    await exercise(`http://127.0.0.1:${port}`);
    return undefined;
  } catch (error) {
    return `${(error as Error).message}\n${output.replace(new RegExp(`${LISTENING}\\d+\\n`), "").trim()}`;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  }
}

/** The `name=value` pairs a response sets, as a `Cookie` header sends them back. */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** The counter quick starts: the first visit sets a cookie and counts 1, the second sends it back and counts 2. */
async function countsVisits(base: string): Promise<void> {
  const first = await fetch(`${base}/`);
  const cookie = cookiesOf(first);
  const one = await first.text();
  expect({ status: first.status, count: /\d+/.exec(one)?.[0] }, one).toEqual({
    status: 200,
    count: "1",
  });
  expect(cookie, "the first visit sets the session cookie").toMatch(/^__Host-sid=/);
  const second = await fetch(`${base}/`, { headers: { cookie } });
  const two = await second.text();
  expect({ status: second.status, count: /\d+/.exec(two)?.[0] }, two).toEqual({
    status: 200,
    count: "2",
  });
}

/**
 * The express-session migration: an old session in Redis as connect-redis
 * stores it, and its `connect.sid` cookie signed as express-session signs it
 * (with express-session's own cookie-signature), become a Tessera session.
 */
async function migratesOldSession(base: string): Promise<void> {
  const seed = join(npmApp, "seed-express-session.mjs");
  writeFileSync(
    seed,
    `import { createRequire } from "node:module";
import { createClient } from "redis";
const require = createRequire(import.meta.url);
const signature = createRequire(require.resolve("express-session"))("cookie-signature");
const sid = crypto.randomUUID();
const client = createClient({ url: process.env.REDIS_URL });
await client.connect();
const old = { cookie: { originalMaxAge: null, httpOnly: true, path: "/" }, cart: [7, 9] };
await client.set("sess:" + sid, JSON.stringify(old), { EX: 120 });
await client.quit();
console.log("connect.sid=" + encodeURIComponent("s:" + signature.sign(sid, process.env.OLD_SESSION_SECRET)));
`,
  );
  const seeded = spawnSync(process.execPath, [seed], {
    cwd: npmApp,
    env: blockEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(seeded.status, seeded.stderr).toBe(0);
  const first = await fetch(`${base}/cart`, { headers: { cookie: seeded.stdout.trim() } });
  expect(first.status).toBe(200);
  expect(((await first.json()) as { cart: unknown }).cart).toEqual([7, 9]);
  const set = first.headers.getSetCookie();
  expect(
    set.some((c) => c.startsWith("connect.sid=;")),
    "the old cookie is cleared",
  ).toBe(true);
  const cookie = cookiesOf(first)
    .replace(/(^|; )connect\.sid=[^;]*/, "")
    .replace(/^; /, "");
  expect(cookie).toMatch(/^__Host-sid=/);
  // The next request carries only the new cookie: the data was stored, not only shown once.
  const second = await fetch(`${base}/cart`, { headers: { cookie } });
  expect(((await second.json()) as { cart: unknown }).cart).toEqual([7, 9]);
}

/** A block that talks to a test service. */
const usesServices = (block: ReadmeBlock) =>
  Object.keys(SERVICE_VARIABLES).some((name) => block.code.includes(`process.env.${name}`)) ||
  Object.keys(SERVICE_ADDRESSES).some((address) => block.code.includes(address));
/** Milliseconds spent on servers, test services, Bun and Deno: what running more than plain scripts costs. */
let liveMs = 0;
async function timed<T>(work: () => T | Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await work();
  } finally {
    liveMs += Date.now() - start;
  }
}
const liveTime = () =>
  `of which ${(liveMs / 1000).toFixed(1)} s on servers, test services, Bun and Deno`;

/**
 * Writes a block as JavaScript to `file` and runs it in `cwd`: to its end, or
 * (a server) served and exercised; the failure, or undefined.
 */
async function runBlock(
  block: ReadmeBlock,
  file: string,
  cwd: string,
): Promise<string | undefined> {
  writeFileSync(file, runnable(block));
  if (!listens(block)) {
    const run = () => runToEnd([process.execPath], file, cwd);
    return usesServices(block) ? timed(run) : run();
  }
  return timed(() => serve(file, cwd, block === migration ? migratesOldSession : countsVisits));
}

beforeAll(async () => {
  for (const [name, service] of Object.entries(SERVICE_VARIABLES)) {
    blockEnv[name] = await requireService(service);
  }
  for (const [documented, service] of Object.entries(SERVICE_ADDRESSES)) {
    addresses.set(documented, await requireService(service));
  }
  // The migration block's express-session secret.
  blockEnv.OLD_SESSION_SECRET = randomBytes(32).toString("base64url");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  packed = packAll(root, join(scratch, "packs"));
  console.log(`packed ${packed.length} packages (${elapsed()})`);

  // npm: one app with every package and everything the README blocks import.
  const deps = new Set<string>(packed.map((p) => p.name));
  const devDeps = new Set<string>(["typescript", "@types/node", "@types/express-session"]);
  for (const file of readmes()) {
    const line = installLine(readReadme(root, file));
    for (const name of line?.dependencies ?? []) deps.add(name);
    for (const name of line?.devDependencies ?? []) devDeps.add(name);
  }
  // Skipped blocks are not compiled, so what they import (a Next.js app's
  // `@/` alias, say) is not installed.
  for (const b of blocks.filter((block) => block.mode !== "skip")) {
    for (const name of importedPackages(`${b.setup}\n${b.code}`)) deps.add(name);
  }
  // Types a strict app needs for packages that ship none (the workspace has them).
  for (const [pkg, types] of [
    ["express", "@types/express"],
    ["pg", "@types/pg"],
    ["memjs", "@types/memjs"],
  ] as const) {
    if (deps.has(pkg)) devDeps.add(types);
  }
  mkdirSync(npmApp, { recursive: true });
  writeJson(join(npmApp, "package.json"), {
    name: "tessera-docs-npm",
    private: true,
    type: "module",
    dependencies: Object.fromEntries([...deps].sort().map((n) => [n, spec(n)])),
    devDependencies: Object.fromEntries([...devDeps].sort().map((n) => [n, spec(n)])),
    overrides: ourOverrides(),
  });
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], npmApp);
  console.log(`npm installed the scratch app (${elapsed()})`);

  // pnpm, isolated and nothing hoisted: one app per package README, with its install line alone.
  mkdirSync(join(pnpmRoot, "apps"), { recursive: true });
  writeJson(join(pnpmRoot, "package.json"), {
    name: "tessera-docs-pnpm",
    private: true,
    devDependencies: { "@types/node": spec("@types/node") },
  });
  writeFileSync(
    join(pnpmRoot, "pnpm-workspace.yaml"),
    `packages:\n  - apps/*\noverrides:\n${packed.map((p) => `  "${p.name}": "file:${p.tarball}"`).join("\n")}\n`,
  );
  writeFileSync(
    join(pnpmRoot, ".npmrc"),
    "node-linker=isolated\nhoist=false\npublic-hoist-pattern=\nauto-install-peers=false\n",
  );
  for (const app of pnpmApps()) {
    const dir = join(pnpmRoot, "apps", app.name);
    mkdirSync(dir, { recursive: true });
    writeJson(join(dir, "package.json"), {
      name: app.name,
      private: true,
      type: "module",
      dependencies: Object.fromEntries(app.dependencies.map((n) => [n, spec(n)])),
      devDependencies: Object.fromEntries(app.devDependencies.map((n) => [n, spec(n)])),
    });
  }
  sh(
    "pnpm",
    ["install", "--prefer-offline", "--reporter=silent", "--config.confirmModulesPurge=false"],
    pnpmRoot,
  );
  console.log(`pnpm installed ${pnpmApps().length} apps (${elapsed()})`);
}, 600_000);

/** One strict pnpm app per package README with an install line. */
function pnpmApps(): Array<{
  name: string;
  readme: string;
  dependencies: string[];
  devDependencies: string[];
}> {
  return readmes()
    .filter((f) => f.startsWith("packages/"))
    .flatMap((readme) => {
      const line = installLine(readReadme(root, readme));
      if (!line) return [];
      return [{ name: readme.split("/")[1] ?? readme, readme, ...line }];
    });
}

describe("README code blocks", () => {
  it("mark every block that is not a whole program, with a reason", () => {
    expect(directiveErrors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
    expect(blocks.length).toBeGreaterThan(20);
  });

  it("type-check under strict against the packed packages (npm) and the runnable ones run", async () => {
    const options = userCompilerOptions(npmApp);
    const dir = join(npmApp, "blocks");
    const checked = blocks.filter((b) => b.mode !== "skip" && b !== migration);
    const files = checked.map((b, i) => writeBlock(dir, `b${i}`, b));
    const shared = files.filter((f) => !ownProgram(f.block));
    const problems = counted(typecheck(shared, options, npmApp).messages);
    for (const own of files.filter((f) => ownProgram(f.block))) {
      problems.push(...counted(typecheck([own], options, npmApp).messages));
    }
    const failedRuns: string[] = [];
    const runDir = join(npmApp, "run");
    mkdirSync(runDir, { recursive: true });
    for (const [i, f] of files.entries()) {
      if (!runs(f.block)) continue;
      const failure = await runBlock(f.block, join(runDir, `b${i}.mjs`), npmApp);
      if (failure) failedRuns.push(`${where(f.block)}: the block failed when run: ${failure}`);
    }
    for (const b of blocks) {
      const what = AWAITING_MERGE.has(b.file)
        ? "type-checked, errors not counted and not run until the adapter typing branch is merged"
        : b === migration
          ? "type-checked with and without @types/express-session (below)"
          : b.mode === "run"
            ? listens(b)
              ? "type-checked, served on a free port and sent requests"
              : "type-checked and run"
            : b.mode === "typecheck-only"
              ? `type-checked, not run: ${b.reason}`
              : `not checked: ${b.reason}`;
      console.log(`${where(b)}  ${what}`);
    }
    console.log(`(${elapsed()}, ${liveTime()})`);
    expect([...problems, ...failedRuns]).toEqual([]);
  }, 300_000);

  it("the express-session migration compiles with @types/express-session, and without it fails only on connect-redis's own types, and migrates an old session when served", async () => {
    expect(
      migration,
      "the Express README's migration block (import from connect-redis)",
    ).toBeDefined();
    if (!migration) return;
    const options = userCompilerOptions(npmApp);
    const file: BlockFile = writeBlock(join(npmApp, "blocks"), "migration", migration);
    // @types/express-session is installed in the scratch app, and connect-redis's types import it.
    expect(typecheck([file], options, npmApp).messages).toEqual([]);
    // Without it (express-session resolved to its untyped JavaScript), connect-redis's
    // declarations cannot be typed: TS7016 there, and nothing from @tessera/express.
    const without = typecheck(
      [file],
      {
        ...options,
        baseUrl: npmApp,
        paths: { "express-session": ["node_modules/express-session/index.js"] },
      },
      npmApp,
    );
    const codes = [...new Set(without.diagnostics.map((d) => d.code))];
    expect({ codes, messages: without.messages.filter((m) => !m.includes("TS7016")) }).toEqual({
      codes: [7016],
      messages: [],
    });
    const served = runs(migration)
      ? await runBlock(migration, join(npmApp, "run", "migration.mjs"), npmApp)
      : "not run: its docs-test mark says typecheck-only";
    expect(served, "the migration block, served against the test Redis").toBeUndefined();
    console.log(
      `${where(migration)}  migration type-checked with and without @types/express-session, served, an old session migrated (${elapsed()}, ${liveTime()})`,
    );
  }, 120_000);
});

describe("install lines (pnpm, isolated, nothing hoisted)", () => {
  it("each package README starts with an install line", () => {
    const missing = readmes()
      .filter((f) => f.startsWith("packages/"))
      .filter((f) => {
        const text = readReadme(root, f);
        const firstFence = text.split("\n").findIndex((l) => l.startsWith("```"));
        return installLine(text)?.line !== firstFence + 1;
      });
    expect(missing, "READMEs whose first code block is not the npm install line").toEqual([]);
  });

  it("install exactly what each quick start imports, and the quick starts compile and run (the Web-runtime ones on Bun and Deno too)", async () => {
    const problems: string[] = [];
    const quickStarts: Array<{ app: string; file: BlockFile }> = [];
    for (const app of pnpmApps()) {
      const dir = join(pnpmRoot, "apps", app.name);
      const quick = blocks.find((b) => b.file === app.readme && b.mode !== "skip");
      if (!quick) {
        problems.push(`${app.readme}: no quick start block to check the install line with`);
        continue;
      }
      const imported = importedPackages(`${quick.setup}\n${quick.code}`);
      const installed = [...app.dependencies, ...app.devDependencies];
      const unlisted = imported.filter((p) => !installed.includes(p));
      // A peer dependency of an installed package (next for @tessera/next) is
      // the app's to install even when the quick start does not import it.
      const peers = new Set(installed.flatMap((name) => peerDependenciesOf(name)));
      const unused = app.dependencies.filter((p) => !imported.includes(p) && !peers.has(p));
      if (unlisted.length > 0 || unused.length > 0) {
        problems.push(
          `${app.readme}: the install line lists ${JSON.stringify(installed)}, the quick start (line ${quick.line}) imports ${JSON.stringify(imported)}`,
        );
      }
      quickStarts.push({ app: app.name, file: writeBlock(dir, "quick-start", quick) });
      // Every package the line installs loads under strict isolation (no undeclared dependency).
      const ours = app.dependencies.filter((n) => tarballOf(n) !== undefined);
      writeFileSync(
        join(dir, "load.mjs"),
        ours.map((n) => `await import(${JSON.stringify(n)});`).join("\n"),
      );
      const loadFailure = runToEnd([process.execPath], join(dir, "load.mjs"), dir);
      if (loadFailure)
        problems.push(`${app.readme}: importing ${ours.join(", ")} failed: ${loadFailure}`);
    }
    const options = userCompilerOptions(pnpmRoot);
    const files = quickStarts.map((q) => q.file);
    problems.push(
      ...counted(
        typecheck(
          files.filter((f) => !ownProgram(f.block)),
          options,
          pnpmRoot,
        ).messages,
      ),
    );
    for (const own of files.filter((f) => ownProgram(f.block))) {
      problems.push(...counted(typecheck([own], options, pnpmRoot).messages));
    }
    const runtimes = webRuntimes();
    for (const { app, file } of quickStarts) {
      if (!runs(file.block)) continue;
      const dir = join(pnpmRoot, "apps", app);
      const module = join(dir, "quick-start.mjs");
      const failure = await runBlock(file.block, module, dir);
      if (failure)
        problems.push(`${where(file.block)}: the quick start failed under pnpm: ${failure}`);
      if (!WEB_RUNTIME_READMES.has(file.block.file)) continue;
      for (const runtime of runtimes) {
        const failed = await timed(() => runToEnd(runtime.command, module, dir));
        if (failed)
          problems.push(
            `${where(file.block)}: the quick start failed on ${runtime.name}: ${failed}`,
          );
      }
    }
    for (const { file } of quickStarts) {
      const done = !runs(file.block)
        ? "type-checked"
        : listens(file.block)
          ? "type-checked, served on a free port and sent requests"
          : WEB_RUNTIME_READMES.has(file.block.file)
            ? `type-checked and run on Node, ${runtimes.map((r) => r.name).join(" and ")}`
            : "type-checked and run";
      console.log(`${where(file.block)}  quick start, with only its install line (pnpm): ${done}`);
    }
    console.log(`(${elapsed()}, ${liveTime()})`);
    expect(problems).toEqual([]);
  }, 300_000);
});
