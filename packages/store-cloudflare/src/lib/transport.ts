import {
  StoreClosedError,
  type StoreEntry,
  StoreError,
  type StoreErrorCode,
  StoreUnavailableError,
} from "@tessera/store";
import { backendCall, storeEntry } from "@tessera/store/driver";
import type { DurableObjectNamespaceLike, DurableObjectStubLike } from "../cloudflare.js";
import type { ResolvedOptions } from "./options.js";
import { type Call, type Op, ORIGIN, PATH } from "./protocol.js";

const encoder = new TextEncoder();

// The codes an object may answer with; any other answer is an outage.
const STORE_CODES: ReadonlySet<string> = new Set<StoreErrorCode>([
  "ERR_STORE_INVALID_KEY",
  "ERR_STORE_INVALID_VALUE",
  "ERR_STORE_VALUE_TOO_LARGE",
  "ERR_STORE_INVALID_EXPIRY",
  "ERR_STORE_INVALID_VERSION",
  "ERR_STORE_INVALID_USER_ID",
  "ERR_STORE_BACKEND",
]);

/** An answer of the object that does not have the shape its operation promises. */
export function malformed(op: Op, what: string): StoreError {
  return new StoreError(
    "ERR_STORE_BACKEND",
    `the session store object answered ${op} with ${what}`,
  );
}

/** A fresh contract entry from an object's answer, or `null` when it is not one. */
export function entryOf(value: unknown): StoreEntry | null {
  const e = value as StoreEntry | null;
  const valid =
    typeof e === "object" &&
    e !== null &&
    typeof e.value === "string" &&
    Number.isSafeInteger(e.expiresAt) &&
    Number.isSafeInteger(e.version) &&
    e.version >= 1 &&
    (e.userId === undefined || typeof e.userId === "string");
  return valid ? storeEntry(e.value, e.expiresAt, e.version, e.userId) : null;
}

/**
 * How the store client reaches its objects: which object holds a key, and
 * one JSON request to one object (or to every object), bounded by the
 * timeout. Failures become `StoreUnavailableError`; an object's own
 * `StoreError` answer is rethrown with its code.
 */
export class Objects {
  /** Set by the store's `close()`: later requests reject with `StoreClosedError`. */
  closed = false;
  readonly #namespace: DurableObjectNamespaceLike;
  readonly #name: string;
  readonly #shards: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: ResolvedOptions) {
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.#shards = options.shards;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now;
  }

  /** The object a key lives in: the first four bytes of SHA-256(key), modulo the shard count. */
  async shardOf(key: string): Promise<number> {
    if (this.#shards === 1) return 0;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(key)));
    const head =
      ((digest[0] as number) << 24) |
      ((digest[1] as number) << 16) |
      ((digest[2] as number) << 8) |
      (digest[3] as number);
    return (head >>> 0) % this.#shards;
  }

  /** One request to the object that holds `key`. */
  async forKey(key: string, op: Op, call: Omit<Call, "now">): Promise<unknown> {
    return this.#call(await this.shardOf(key), op, call);
  }

  /** One request to every object, in parallel. */
  everyShard(op: Op, call: Omit<Call, "now">): Promise<unknown[]> {
    return Promise.all(
      Array.from({ length: this.#shards }, (_, shard) => this.#call(shard, op, call)),
    );
  }

  /** One request to one object, bounded by `timeoutMs`. */
  async #call(shard: number, op: Op, call: Omit<Call, "now">): Promise<unknown> {
    if (this.closed) throw new StoreClosedError();
    const body = JSON.stringify({ ...call, now: this.#now() } satisfies Call);
    const response = await backendCall(`Durable Object ${op} request`, this.#timeoutMs, () => {
      // A stub per call: stubs may not outlive the request that made them.
      const stub: DurableObjectStubLike = this.#namespace.get(
        this.#namespace.idFromName(`${this.#name}:${shard}`),
      );
      const request = new Request(`${ORIGIN}${PATH}${op}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      return stub.fetch(request);
    });
    const answer = (await backendCall(
      `Durable Object ${op}`,
      this.#timeoutMs,
      () => response.json(),
      // Not our object's JSON (the runtime's own error page, an overloaded object).
      (error) =>
        new StoreUnavailableError(`Durable Object ${op} answered ${response.status}`, {
          cause: error,
        }),
    )) as { result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (
      response.status === 200 &&
      answer !== null &&
      typeof answer === "object" &&
      "result" in answer
    ) {
      return answer.result;
    }
    const code = answer?.error?.code;
    if (typeof code === "string" && STORE_CODES.has(code)) {
      throw new StoreError(code as StoreErrorCode, String(answer.error?.message ?? code));
    }
    throw new StoreUnavailableError(`Durable Object ${op} answered ${response.status}`);
  }
}
