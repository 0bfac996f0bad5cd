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

/** The `durability` option, resolved: the `WAIT` sent behind every write. */
export interface Wait {
  /** Replicas that must have the write. */
  readonly replicas: number;
  /** Milliseconds WAIT blocks at most. */
  readonly timeoutMs: number;
}

/** The EVAL that stands in for an EVALSHA after NOSCRIPT: the same call with the source. */
function evalOf(script: Script, args: readonly string[]): string[] {
  const evalArgs = args.slice();
  evalArgs[0] = "EVAL";
  evalArgs[1] = script.source;
  return evalArgs;
}

function isErrorReply(client: RedisExecutor, reply: unknown): boolean {
  return reply instanceof Error || client.isReplyError(reply);
}

/**
 * The script and `WAIT replicas timeout` in one pipeline on the key's node, so
 * durability costs no extra round trip, only the wait for the replica's
 * acknowledgement. WAIT counts the replicas that have every write this
 * connection made (Redis docs, WAIT), including ours. Fewer than asked means
 * the write may be lost in a failover: the caller hears "unavailable" (503),
 * never success, and the version check makes a retry safe.
 */
async function runDurable(
  client: RedisExecutor,
  deadlines: Deadlines,
  script: Script,
  key: string,
  args: string[],
  timeoutMs: number,
  wait: Wait,
): Promise<unknown> {
  const deadline = deadlines.now() + timeoutMs;
  const waitArgs = ["WAIT", String(wait.replicas), String(wait.timeoutMs)];
  const send = async (command: string[]): Promise<unknown[]> => {
    try {
      return await deadlines.pipeline(client, key, [command, waitArgs], deadline, timeoutMs);
    } catch (error) {
      throw toStoreError(client, command[0]!, error);
    }
  };
  let replies = await send(args);
  let reply = replies[0];
  let name = "EVALSHA";
  if (isErrorReply(client, reply) && messageOf(reply).startsWith("NOSCRIPT")) {
    name = "EVAL";
    replies = await send(evalOf(script, args));
    reply = replies[0];
  }
  if (isErrorReply(client, reply)) throw toStoreError(client, name, reply);
  const acked = replies[1];
  if (isErrorReply(client, acked)) throw toStoreError(client, "WAIT", acked);
  if (!(Number(acked) >= wait.replicas)) {
    throw new StoreUnavailableError(
      `redis WAIT: the write reached ${String(acked)} of ${wait.replicas} replicas within ${wait.timeoutMs} ms (durability option); it may be lost in a failover`,
    );
  }
  return reply;
}

/**
 * EVALSHA, and on NOSCRIPT (a node that has not seen the script yet: first
 * use, a restart, SCRIPT FLUSH, a Cluster failover) EVAL, which also caches it
 * on that node. One command per call once every node has the script.
 *
 * `args` is the whole EVALSHA command, `["EVALSHA", script.sha, "1", key, ...ARGV]`,
 * built fresh by the caller (the client may hold on to it until the reply).
 * With `wait` (the `durability` option) the script and a `WAIT` go as one pipeline.
 */
export async function runScript(
  client: RedisExecutor,
  deadlines: Deadlines,
  script: Script,
  key: string,
  args: string[],
  timeoutMs: number,
  wait?: Wait,
): Promise<unknown> {
  if (wait !== undefined) return runDurable(client, deadlines, script, key, args, timeoutMs, wait);
  const deadline = deadlines.now() + timeoutMs;
  try {
    return await deadlines.send(client, key, args, deadline, timeoutMs);
  } catch (error) {
    if (!(client.isReplyError(error) && messageOf(error).startsWith("NOSCRIPT"))) {
      throw toStoreError(client, "EVALSHA", error);
    }
  }
  try {
    // The fallback keeps the EVALSHA's deadline: commandTimeout bounds the whole operation.
    return await deadlines.send(client, key, evalOf(script, args), deadline, timeoutMs);
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
