import { StoreError, StoreUnavailableError } from "@tessera/store";
import type { RedisExecutor } from "../executor.js";
import type { Script } from "./scripts.js";

/** Rejection of the store's own `commandTimeout` race; kept as `cause`. */
export class CommandTimeoutError extends Error {
  constructor(command: string, ms: number) {
    super(`redis ${command} did not answer within ${ms} ms`);
    this.name = "CommandTimeoutError";
  }
}

// Error replies that mean "not now" rather than "never": a cluster mid-failover
// or resharding (MOVED/ASK the client could not follow, TRYAGAIN, CLUSTERDOWN),
// a server loading its dataset or out of memory, a replica answering writes.
const TRANSIENT_REPLY =
  /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|LOADING|MASTERDOWN|BUSY|READONLY|OOM|NOREPLICAS|UNBLOCKED)\b/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a client failure in the contract's error, keeping it as `cause`. */
export function toStoreError(client: RedisExecutor, command: string, error: unknown): StoreError {
  if (StoreError.isInstance(error)) return error;
  const message = messageOf(error);
  if (client.isReplyError(error) && !TRANSIENT_REPLY.test(message)) {
    // The server answered and refused (NOPERM, WRONGTYPE, a script error): a
    // configuration problem or a foreign value under our prefix, not an outage.
    return new StoreError("ERR_STORE_BACKEND", `redis ${command} failed: ${message}`, {
      cause: error,
    });
  }
  return new StoreUnavailableError(`redis ${command} failed: ${message}`, { cause: error });
}

/**
 * Runs `send` against `timeoutMs`. Promise.race subscribes to both sides, so
 * a reply (or rejection) that arrives after the timeout is consumed silently,
 * never reported as an unhandled rejection.
 */
export async function sendWithTimeout(
  client: RedisExecutor,
  key: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandTimeoutError(args[0]!, timeoutMs)), timeoutMs);
  });
  try {
    // A synchronous throw from a client is a rejection like any other.
    const reply = Promise.resolve().then(() => client.send(key, args, { timeoutMs }));
    return await Promise.race([reply, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * EVALSHA, and on NOSCRIPT (a node that has not seen the script yet: first
 * use, a restart, SCRIPT FLUSH, a Cluster failover) EVAL, which also caches it
 * on that node. One command per call once every node has the script.
 */
export async function runScript(
  client: RedisExecutor,
  script: Script,
  key: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await sendWithTimeout(
      client,
      key,
      ["EVALSHA", script.sha, "1", key, ...args],
      timeoutMs,
    );
  } catch (error) {
    if (!(client.isReplyError(error) && messageOf(error).startsWith("NOSCRIPT"))) {
      throw toStoreError(client, "EVALSHA", error);
    }
  }
  try {
    // The fallback shares the call's deadline: commandTimeout bounds the whole operation.
    const left = Math.max(1, deadline - Date.now());
    return await sendWithTimeout(client, key, ["EVAL", script.source, "1", key, ...args], left);
  } catch (error) {
    throw toStoreError(client, "EVAL", error);
  }
}

/** A plain command, errors wrapped. */
export async function command(
  client: RedisExecutor,
  key: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<unknown> {
  try {
    return await sendWithTimeout(client, key, args, timeoutMs);
  } catch (error) {
    throw toStoreError(client, args[0]!, error);
  }
}
