import { StoreError, StoreUnavailableError } from "@tessera/store";
import type { RedisExecutor } from "../executor.js";
import type { Deadlines } from "./deadlines.js";
import type { Script } from "./scripts.js";

export { CommandTimeoutError } from "./deadlines.js";

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
 * EVALSHA, and on NOSCRIPT (a node that has not seen the script yet: first
 * use, a restart, SCRIPT FLUSH, a Cluster failover) EVAL, which also caches it
 * on that node. One command per call once every node has the script.
 *
 * `args` is the whole EVALSHA command, `["EVALSHA", script.sha, "1", key, ...ARGV]`,
 * built fresh by the caller (the client may hold on to it until the reply).
 */
export async function runScript(
  client: RedisExecutor,
  deadlines: Deadlines,
  script: Script,
  key: string,
  args: string[],
  timeoutMs: number,
): Promise<unknown> {
  const deadline = deadlines.now() + timeoutMs;
  try {
    return await deadlines.send(client, key, args, deadline, timeoutMs);
  } catch (error) {
    if (!(client.isReplyError(error) && messageOf(error).startsWith("NOSCRIPT"))) {
      throw toStoreError(client, "EVALSHA", error);
    }
  }
  const evalArgs = args.slice();
  evalArgs[0] = "EVAL";
  evalArgs[1] = script.source;
  try {
    // The fallback keeps the EVALSHA's deadline: commandTimeout bounds the whole operation.
    return await deadlines.send(client, key, evalArgs, deadline, timeoutMs);
  } catch (error) {
    throw toStoreError(client, "EVAL", error);
  }
}

/** A plain command, errors wrapped. */
export async function command(
  client: RedisExecutor,
  deadlines: Deadlines,
  key: string,
  args: string[],
  timeoutMs: number,
): Promise<unknown> {
  try {
    return await deadlines.send(client, key, args, deadlines.now() + timeoutMs, timeoutMs);
  } catch (error) {
    throw toStoreError(client, args[0]!, error);
  }
}
