import { describe, expect, it } from "vitest";
import { type MemjsClientLike, type MemjsResponse, memjsClient } from "../src/clients/memjs.js";

interface Sent {
  key: string;
  request: Buffer;
  retries: number | undefined;
}

function fakeMemjs(reply: (request: Buffer) => MemjsResponse, options = {}) {
  const sent: Sent[] = [];
  const client: MemjsClientLike = {
    servers: [
      { host: "127.0.0.1", port: 11211 },
      { host: "127.0.0.1", port: 11212 },
    ],
    seq: 0,
    options,
    incrSeq() {
      this.seq++;
    },
    getServer: () => 0,
    perform(key, request, _seq, callback, retries) {
      sent.push({ key, request: Buffer.from(request), retries });
      queueMicrotask(() => callback(null, reply(Buffer.from(request))));
    },
  };
  return { client, sent };
}

const CAS = Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]);
const ok = (val = Buffer.alloc(0)): MemjsResponse => ({ header: { status: 0, cas: CAS }, val });

describe("memjsClient", () => {
  it("refuses a client with failover on (it would split sessions across servers)", () => {
    const { client } = fakeMemjs(() => ok(), { failover: true });
    expect(() => memjsClient(client)).toThrow(
      expect.objectContaining({
        code: "ERR_STORE_INVALID_OPTION",
        message: expect.stringContaining("failover"),
      }),
    );
  });

  it("installs a ketama ring as getServer unless told to keep the client's", () => {
    const a = fakeMemjs(() => ok());
    const before = a.client.getServer;
    memjsClient(a.client);
    expect(a.client.getServer).not.toBe(before);
    const b = fakeMemjs(() => ok());
    const kept = b.client.getServer;
    memjsClient(b.client, { hashing: "client" });
    expect(b.client.getServer).toBe(kept);
  });

  it("accepts a client typed by @types/memjs, which declares getServer as returning a string", () => {
    // Regression: memjsClient(memjs.Client.create(...)) did not compile under strict with @types/memjs.
    const { client } = fakeMemjs(() => ok());
    const typed: Omit<MemjsClientLike, "getServer"> & { getServer(key: string): string } = {
      ...client,
      getServer: () => "0",
    };
    const bound = memjsClient(typed);
    expect(typeof bound.gets).toBe("function");
  });

  it("sends SET with the CAS token, flags 0 and the exptime, exactly once", async () => {
    const { client, sent } = fakeMemjs(() => ok());
    const bound = memjsClient(client);
    const value = new TextEncoder().encode("hello");
    await expect(bound.cas("k1", value, 5_184_000 + 1_790_000_001, CAS)).resolves.toBe("stored");
    const { request, retries } = sent[0]!;
    expect(retries).toBe(1);
    expect(request[0]).toBe(0x80);
    expect(request[1]).toBe(0x01); // SET
    expect(request.readUInt16BE(2)).toBe(2); // key length
    expect(request[4]).toBe(8); // extras: flags + exptime
    expect(request.readUInt32BE(8)).toBe(8 + 2 + 5);
    expect(request.subarray(16, 24)).toEqual(CAS);
    expect(request.readUInt32BE(28)).toBe(5_184_000 + 1_790_000_001);
    expect(request.subarray(32).toString()).toBe("k1hello");
  });

  it.each([
    [0x0000, "stored"],
    [0x0001, "not_found"],
    [0x0002, "exists"],
    [0x0005, "exists"],
  ])("maps status 0x%s of ADD to %s", async (status, expected) => {
    const { client } = fakeMemjs(() => ({ header: { status }, val: Buffer.alloc(0) }));
    await expect(memjsClient(client).add("k", new Uint8Array(1), 60)).resolves.toBe(expected);
  });

  it("maps a too-large status to ERR_STORE_VALUE_TOO_LARGE and others to ERR_STORE_BACKEND", async () => {
    const big = fakeMemjs(() => ({ header: { status: 3 }, val: Buffer.alloc(0) }));
    await expect(memjsClient(big.client).add("k", new Uint8Array(1), 60)).rejects.toMatchObject({
      code: "ERR_STORE_VALUE_TOO_LARGE",
    });
    const odd = fakeMemjs(() => ({ header: { status: 0x81 }, val: Buffer.alloc(0) }));
    await expect(memjsClient(odd.client).gets("k")).rejects.toMatchObject({
      code: "ERR_STORE_BACKEND",
    });
  });

  it("returns null for a missing key and the CAS token for a hit", async () => {
    const miss = fakeMemjs(() => ({ header: { status: 1 }, val: Buffer.alloc(0) }));
    await expect(memjsClient(miss.client).gets("k")).resolves.toBeNull();
    const hit = fakeMemjs(() => ok(Buffer.from("v")));
    const got = await memjsClient(hit.client).gets("k");
    expect(Buffer.from(got!.value).toString()).toBe("v");
    expect(got!.cas).toEqual(CAS);
  });

  // memcached -C disables CAS and answers 0: versioned writes would become blind overwrites.
  it("refuses a zero CAS token", async () => {
    const { client } = fakeMemjs(() => ({
      header: { status: 0, cas: Buffer.alloc(8) },
      val: Buffer.from("v"),
    }));
    await expect(memjsClient(client).gets("k")).rejects.toMatchObject({
      code: "ERR_STORE_BACKEND",
    });
  });

  it("rejects with the client's error", async () => {
    const cause = new Error("socket timed out");
    const client: MemjsClientLike = {
      ...fakeMemjs(() => ok()).client,
      perform: (_k, _r, _s, callback) => callback(cause, null),
    };
    await expect(memjsClient(client).gets("k")).rejects.toBe(cause);
  });
});
