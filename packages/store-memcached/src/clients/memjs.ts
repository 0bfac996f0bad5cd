import { StoreError } from "@tessera/store";
import type { CasOutcome, CasToken, MemcachedClient } from "../client.js";
import { ketamaRing } from "../lib/ketama.js";

/**
 * The response shape memjs hands to `perform` callbacks (memjs 1.3, lib/memjs/utils.js `parseMessage`).
 *
 * @example
 * ```ts
 * const missing = (response: MemjsResponse) => response.header.status === 0x0001;
 * ```
 */
export interface MemjsResponse {
  header: { status: number; cas?: Uint8Array };
  val: Uint8Array;
}

/**
 * The part of a memjs `Client` (memjs 1.3) this binding uses. memjs 1.3's
 * public `get`/`set`/`add` do not expose CAS (its source marks it TODO), but
 * its `perform` sends any binary-protocol request and returns the raw
 * response, whose header carries the CAS token: the binding builds the four
 * requests it needs (GET, ADD, SET with CAS, DELETE with CAS) on top of it.
 *
 * @example
 * ```ts
 * import memjs from "memjs";
 * const client: MemjsClientLike = memjs.Client.create("127.0.0.1:11211");
 * ```
 */
export interface MemjsClientLike {
  servers: ReadonlyArray<{ host: string; port: number }>;
  seq: number;
  options: { failover?: boolean; retries?: number };
  incrSeq(): void;
  // memjs returns the server's index; @types/memjs declares a string, so both are accepted.
  getServer(key: string): number | string;
  perform(
    key: string,
    request: Uint8Array,
    seq: number,
    callback: (error: unknown, response: MemjsResponse | null) => void,
    retries?: number,
  ): void;
}

/**
 * Options of {@link memjsClient}.
 *
 * @example
 * ```ts
 * memjsClient(client, { hashing: "ketama" });
 * ```
 */
export interface MemjsClientOptions {
  /**
   * How keys map to servers. `"ketama"` installs a ketama consistent-hash ring
   * as the client's `getServer` (memjs documents that override; its own
   * default is `hash % servers`, which remaps nearly every key, and so logs
   * nearly everyone out, when a server is added or removed). `"client"`
   * keeps whatever `getServer` the client has.
   * @default "ketama"
   */
  hashing?: "ketama" | "client";
}

// Binary protocol opcodes and status codes (memcached docs, protocol-binary.txt §3, §4).
const GET = 0x00;
const SET = 0x01;
const ADD = 0x02;
const DELETE = 0x04;
const STATUS_OK = 0x0000;
const STATUS_NOT_FOUND = 0x0001;
const STATUS_EXISTS = 0x0002;
const STATUS_TOO_LARGE = 0x0003;
const STATUS_NOT_STORED = 0x0005;
const NO_CAS = Buffer.alloc(8);

function request(
  opcode: number,
  key: string,
  seq: number,
  options: { value?: Uint8Array; exptime?: number; cas?: CasToken } = {},
): Buffer {
  const keyBytes = Buffer.from(key, "utf8");
  const extras = options.exptime === undefined ? 0 : 8;
  const value = options.value ?? NO_CAS.subarray(0, 0);
  const body = extras + keyBytes.length + value.length;
  const buf = Buffer.alloc(24 + body);
  buf[0] = 0x80; // request magic
  buf[1] = opcode;
  buf.writeUInt16BE(keyBytes.length, 2);
  buf[4] = extras;
  buf.writeUInt32BE(body, 8);
  buf.writeUInt32BE(seq >>> 0, 12);
  if (options.cas !== undefined) Buffer.from(options.cas as Uint8Array).copy(buf, 16, 0, 8);
  if (options.exptime !== undefined) {
    buf.writeUInt32BE(0, 24); // flags
    buf.writeUInt32BE(options.exptime, 28);
  }
  keyBytes.copy(buf, 24 + extras);
  buf.set(value, 24 + extras + keyBytes.length);
  return buf;
}

function backend(status: number, what: string): StoreError {
  if (status === STATUS_TOO_LARGE) {
    return new StoreError("ERR_STORE_VALUE_TOO_LARGE", `Memcached refused ${what}: item too large`);
  }
  return new StoreError(
    "ERR_STORE_BACKEND",
    `Memcached answered ${what} with status 0x${status.toString(16)}`,
  );
}

/**
 * Binds a memjs client (memjs 1.3, binary protocol) to the store's
 * {@link MemcachedClient} interface.
 *
 * Create the client with failover off (the default) and a short timeout;
 * `failover: true` throws here, because it sends a dead server's keys to
 * another server, which splits sessions (a login on one, an old copy on the
 * other) and silently loses them when the first comes back. Writes are sent
 * exactly once whatever the client's `retries` (a re-sent CAS write whose
 * first attempt landed would look like a conflict); reads use `retries`.
 *
 * @example
 * ```ts
 * import memjs from "memjs";
 * import { MemcachedStore, memjsClient } from "@tessera/store-memcached";
 *
 * const client = memjs.Client.create("10.0.0.1:11211,10.0.0.2:11211", {
 *   timeout: 0.25, conntimeout: 0.5, retries: 1, keepAlive: true, logger: { log() {} },
 * });
 * const store = new MemcachedStore({ client: memjsClient(client) });
 * ```
 */
export function memjsClient(
  client: MemjsClientLike,
  options: MemjsClientOptions = {},
): MemcachedClient {
  if (typeof client !== "object" || client === null || typeof client.perform !== "function") {
    throw new StoreError("ERR_STORE_INVALID_OPTION", "client is invalid: expected a memjs Client");
  }
  if (client.options?.failover) {
    throw new StoreError(
      "ERR_STORE_INVALID_OPTION",
      "memjs option failover is invalid: true (a dead server's sessions would be split onto another server)",
    );
  }
  const hashing = options.hashing ?? "ketama";
  if (hashing !== "ketama" && hashing !== "client") {
    throw new StoreError(
      "ERR_STORE_INVALID_OPTION",
      `option hashing is invalid: ${String(hashing)}`,
    );
  }
  if (hashing === "ketama") {
    client.getServer = ketamaRing(client.servers.map((s) => `${s.host}:${s.port}`));
  }

  const send = (key: string, build: (seq: number) => Buffer, once: boolean) =>
    new Promise<MemjsResponse>((resolve, reject) => {
      client.incrSeq();
      const seq = client.seq;
      client.perform(
        key,
        build(seq),
        seq,
        (error, response) => {
          if (error != null || response == null) {
            reject(error instanceof Error ? error : new Error(String(error ?? "no response")));
          } else resolve(response);
        },
        once ? 1 : undefined,
      );
    });

  const outcome = (response: MemjsResponse, what: string): CasOutcome => {
    switch (response.header.status) {
      case STATUS_OK:
        return "stored";
      case STATUS_EXISTS:
      case STATUS_NOT_STORED:
        return "exists";
      case STATUS_NOT_FOUND:
        return "not_found";
      default:
        throw backend(response.header.status, what);
    }
  };

  return {
    async gets(key) {
      const response = await send(key, (seq) => request(GET, key, seq), false);
      if (response.header.status === STATUS_NOT_FOUND) return null;
      if (response.header.status !== STATUS_OK) throw backend(response.header.status, "GET");
      const cas = Buffer.from(response.header.cas ?? NO_CAS);
      // memcached -C turns CAS off and answers 0: versioned writes would then be blind.
      if (cas.equals(NO_CAS)) {
        throw new StoreError(
          "ERR_STORE_BACKEND",
          "Memcached returned no CAS token (server started with -C?)",
        );
      }
      return { value: Buffer.from(response.val), cas };
    },
    async add(key, value, exptime) {
      return outcome(
        await send(key, (seq) => request(ADD, key, seq, { value, exptime }), true),
        "ADD",
      );
    },
    async cas(key, value, exptime, cas) {
      return outcome(
        await send(key, (seq) => request(SET, key, seq, { value, exptime, cas }), true),
        "SET (CAS)",
      );
    },
    async delete(key, cas) {
      return outcome(await send(key, (seq) => request(DELETE, key, seq, { cas }), true), "DELETE");
    },
  };
}
