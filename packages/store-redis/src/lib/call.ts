import { StoreError, StoreUnavailableError } from "@tessera/store";
import { withTimeout } from "@tessera/store/driver";
import type { RedisExecutor } from "../executor.js";
import type { Script } from "./scripts.js";

/** Rejection of the store's own `commandTimeout`; kept as `cause`. */
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
 * One store operation, bounded by `timeoutMs` as a whole: one plain timer per
 * operation, cleared when it settles (see `withTimeout`). A failure or a
 * timeout names `op.command`, the command in flight; once the time is up,
 * `op.expired` stops a fallback from being sent (no EVAL after an EVALSHA
 * that timed out). Errors become the contract's.
 */
interface Operation {
  command: string;
  expired: boolean;
}

function bounded<T>(
  client: RedisExecutor,
  timeoutMs: number,
  op: Operation,
  run: () => Promise<T>,
): Promise<T> {
  return withTimeout(run, timeoutMs, () => {
    op.expired = true;
    return new CommandTimeoutError(op.command, timeoutMs);
  }).catch((error: unknown) => {
    throw toStoreError(client, op.command, error);
  });
}

/** Moves `op` on to its next command, unless its time is up. */
function next(op: Operation, command: string, timeoutMs: number): void {
  if (op.expired) throw new CommandTimeoutError(command, timeoutMs);
  op.command = command;
}

/**
 * The script and `WAIT replicas timeout` in one pipeline on the key's node, so
 * durability costs no extra round trip, only the wait for the replica's
 * acknowledgement. WAIT counts the replicas that have every write this
 * connection made (Redis docs, WAIT), including ours. Fewer than asked means
 * the write may be lost in a failover: the caller hears "unavailable" (503),
 * never success, and the version check makes a retry safe.
 */
function runDurable(
  client: RedisExecutor,
  script: Script,
  key: string,
  args: string[],
  timeoutMs: number,
  wait: Wait,
): Promise<unknown> {
  const waitArgs = ["WAIT", String(wait.replicas), String(wait.timeoutMs)];
  const options = { timeoutMs };
  const op: Operation = { command: "EVALSHA", expired: false };
  return bounded(client, timeoutMs, op, async () => {
    let replies = await client.pipeline!(key, [args, waitArgs], options);
    let reply = replies[0];
    if (isErrorReply(client, reply) && messageOf(reply).startsWith("NOSCRIPT")) {
      next(op, "EVAL", timeoutMs);
      replies = await client.pipeline!(key, [evalOf(script, args), waitArgs], options);
      reply = replies[0];
    }
    if (isErrorReply(client, reply)) throw reply;
    const acked = replies[1];
    if (isErrorReply(client, acked)) {
      op.command = "WAIT";
      throw acked;
    }
    if (!(Number(acked) >= wait.replicas)) {
      throw new StoreUnavailableError(
        `redis WAIT: the write reached ${String(acked)} of ${wait.replicas} replicas within ${wait.timeoutMs} ms (durability option); it may be lost in a failover`,
      );
    }
    return reply;
  });
}

/**
 * EVALSHA, and on NOSCRIPT (a node that has not seen the script yet: first
 * use, a restart, SCRIPT FLUSH, a Cluster failover) EVAL, which also caches it
 * on that node. One command per call once every node has the script; the
 * store's `commandTimeout` bounds the EVALSHA and its fallback together.
 *
 * `args` is the whole EVALSHA command, `["EVALSHA", script.sha, "1", key, ...ARGV]`,
 * built fresh by the caller (the client may hold on to it until the reply).
 * With `wait` (the `durability` option) the script and a `WAIT` go as one pipeline.
 */
export function runScript(
  client: RedisExecutor,
  script: Script,
  key: string,
  args: string[],
  timeoutMs: number,
  wait?: Wait,
): Promise<unknown> {
  if (wait !== undefined) return runDurable(client, script, key, args, timeoutMs, wait);
  const options = { timeoutMs };
  const op: Operation = { command: "EVALSHA", expired: false };
  return bounded(client, timeoutMs, op, () =>
    // Promise.resolve guards a binding that returns a bare value.
    Promise.resolve(client.send(key, args, options)).then(undefined, (error: unknown) => {
      if (!(client.isReplyError(error) && messageOf(error).startsWith("NOSCRIPT"))) throw error;
      next(op, "EVAL", timeoutMs);
      return client.send(key, evalOf(script, args), options);
    }),
  );
}

/** A plain command, bounded by `timeoutMs`, errors wrapped. */
export function command(
  client: RedisExecutor,
  key: string,
  args: string[],
  timeoutMs: number,
): Promise<unknown> {
  const op: Operation = { command: args[0]!, expired: false };
  return bounded(client, timeoutMs, op, () => client.send(key, args, { timeoutMs }));
}
