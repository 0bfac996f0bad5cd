import { StoreError, StoreUnavailableError } from "@tessera/store";
import { describe, expect, it } from "vitest";
import { rejection, thrown } from "../../../scripts/outcomes.js";
import type { RedisExecutor } from "../src/executor.js";
import { CommandTimeoutError } from "../src/lib/call.js";
import { SCRIPTS } from "../src/lib/scripts.js";
import { RedisStore } from "../src/redis-store.js";

// Unit tests over a scripted fake client: option validation, error mapping,
// the NOSCRIPT fallback and the timeout race. The behaviour against Redis
// itself is tested on real servers in test/.

class ReplyError extends Error {
  override name = "ReplyError";
}

type Handler = (args: readonly string[]) => Promise<unknown>;

function fake(handler: Handler) {
  const sent: string[][] = [];
  const executor: RedisExecutor = {
    send: (_key, args) => {
      sent.push([...args]);
      return handler(args);
    },
    isReplyError: (error) => error instanceof ReplyError,
  };
  return { executor, sent };
}

const ok = fake(async () => null).executor;

describe("options", () => {
  // Invalid values by option name.
  const invalid: Record<string, Array<[string, unknown]>> = {
    prefix: [
      ["empty prefix", ""],
      ["brace in prefix (hash tag)", "app{1}:"],
      ["glob in prefix (ACL pattern)", "app*:"],
      ["bracket in prefix", "app[1]:"],
      ["space in prefix", "my app:"],
      ["CRLF in prefix", "a\r\n"],
      ["non-ASCII prefix", "sessión:"],
      ["long prefix", "p".repeat(129)],
    ],
    commandTimeout: [
      ["zero commandTimeout", 0],
      ["fractional commandTimeout", 1.5],
      ["NaN commandTimeout", Number.NaN],
    ],
    shards: [
      ["zero shards", 0],
      ["too many shards", 1025],
    ],
    maxValueBytes: [["zero maxValueBytes", 0]],
  };

  it.each(
    Object.entries(invalid).flatMap(([name, cases]) =>
      cases.map(([label, value]) => [label, name, value] as const),
    ),
  )("rejects %s with ERR_STORE_INVALID_OPTION naming the option", (_label, name, value) => {
    const error = thrown(() => new RedisStore({ client: ok, [name]: value }));
    expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_INVALID_OPTION");
    expect((error as Error).message).toContain(`option ${name} is invalid`);
  });

  it.each([
    ["no client", {}],
    ["a raw client instead of a binding", { client: { get: () => null } }],
  ])("rejects %s", (_label, bad) => {
    expect(() => new RedisStore(bad as never)).toThrow(/option client is invalid/);
  });

  it("accepts the documented defaults and a typical prefix", () => {
    const store = new RedisStore({ client: ok, prefix: "myapp:sess:v1:" });
    expect(store.prefix).toBe("myapp:sess:v1:");
    expect(store.commandTimeout).toBe(2000);
    expect(new RedisStore({ client: ok }).prefix).toBe("tessera:");
  });
});

describe("error mapping", () => {
  // The client errors each store error code stands for: outages (retry later) and the rest.
  const causes: Record<string, Array<[string, Error]>> = {
    ERR_STORE_UNAVAILABLE: [
      ["a refused connection", new Error("connect ECONNREFUSED 127.0.0.1:6379")],
      ["a closed client", new Error("The client is closed")],
      ["an unresolved MOVED", new ReplyError("MOVED 3999 127.0.0.1:7002")],
      ["CLUSTERDOWN", new ReplyError("CLUSTERDOWN The cluster is down")],
      ["TRYAGAIN", new ReplyError("TRYAGAIN Multiple keys request during rehashing")],
      ["LOADING", new ReplyError("LOADING Redis is loading the dataset")],
      ["OOM", new ReplyError("OOM command not allowed")],
    ],
    ERR_STORE_BACKEND: [
      ["NOPERM", new ReplyError("NOPERM this user has no permissions")],
      ["WRONGTYPE", new ReplyError("WRONGTYPE Operation against a key")],
    ],
  };

  it.each(
    Object.entries(causes).flatMap(([code, cases]) =>
      cases.map(([label, cause]) => [label, cause, code] as const),
    ),
  )("%s becomes %s with the client's error as cause", async (_label, cause, code) => {
    const { executor } = fake(async () => {
      throw cause;
    });
    const store = new RedisStore({ client: executor });
    for (const call of [
      () => store.get("k"),
      () => store.set("k", { value: "v", expiresAt: Date.now() + 1000 }),
      () => store.touch("k", Date.now() + 1000),
    ]) {
      const error = await rejection(call());
      expect(StoreError.isInstance(error) && error.code).toBe(code);
      expect((error as Error).cause).toBe(cause);
    }
  });

  it("a client that throws synchronously still yields a rejection", async () => {
    const executor: RedisExecutor = {
      send: () => {
        throw new Error("socket gone");
      },
      isReplyError: () => false,
    };
    const error = await rejection(new RedisStore({ client: executor }).get("k"));
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
  });
});

describe("NOSCRIPT fallback", () => {
  it("sends EVAL with the source once EVALSHA answers NOSCRIPT", async () => {
    const { executor, sent } = fake(async (args) => {
      if (args[0] === "EVALSHA") throw new ReplyError("NOSCRIPT No matching script.");
      return 1;
    });
    const result = await new RedisStore({ client: executor }).set("k", {
      value: "v",
      expiresAt: Date.now() + 1000,
    });
    expect(result).toEqual({ ok: true, version: 1 });
    expect(sent.map((a) => a[0])).toEqual(["EVALSHA", "EVAL"]);
    expect(sent[0]![1]).toBe(SCRIPTS.set.sha);
    expect(sent[1]![1]).toBe(SCRIPTS.set.source);
  });
});

describe("commandTimeout", () => {
  it("rejects with StoreUnavailableError when the client never answers", async () => {
    const { executor } = fake(() => new Promise(() => undefined));
    const store = new RedisStore({ client: executor, commandTimeout: 20 });
    const error = await rejection(store.get("k"));
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(CommandTimeoutError);
  });

  it("swallows a late rejection from the losing promise (no unhandled rejection)", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { executor } = fake(
        () => new Promise((_, reject) => setTimeout(() => reject(new Error("late")), 40)),
      );
      const store = new RedisStore({ client: executor, commandTimeout: 10 });
      const error = await rejection(store.set("k", { value: "v", expiresAt: Date.now() + 1000 }));
      expect(StoreUnavailableError.isInstance(error)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("get", () => {
  it("never returns an entry at or after expiresAt, even if Redis still has it", async () => {
    const { executor } = fake(async () => ["v", String(Date.now() - 1), null, "1"]);
    expect(await new RedisStore({ client: executor }).get("k")).toBeNull();
  });

  it("reads value, expiry, owner and version with one HMGET", async () => {
    const expiresAt = Date.now() + 60_000;
    const { executor, sent } = fake(async () => ["v", String(expiresAt), "u1", "7"]);
    expect(await new RedisStore({ client: executor }).get("k")).toEqual({
      value: "v",
      expiresAt,
      userId: "u1",
      version: 7,
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.slice(2)).toEqual(["v", "e", "u", "n"]);
  });
});

describe("durability (WAIT behind every write)", () => {
  /** A fake whose pipeline answers each command with `reply(args)` (an Error stands for an error reply). */
  function piped(reply: (args: readonly string[]) => unknown) {
    const batches: string[][][] = [];
    const executor: RedisExecutor = {
      send: async (_key, args) => reply(args),
      isReplyError: (error) => error instanceof ReplyError,
      pipeline: async (_key, commands) => {
        batches.push(commands.map((c) => [...c]));
        return commands.map(reply);
      },
    };
    return { executor, batches };
  }
  const durability = { replicas: 1, timeoutMs: 100 };
  const entry = () => ({ value: "v", expiresAt: Date.now() + 60_000 });

  it.each([
    ["no replicas", { timeoutMs: 100 }, "durability.replicas"],
    ["zero replicas", { replicas: 0, timeoutMs: 100 }, "durability.replicas"],
    ["WAIT 0 (blocks forever)", { replicas: 1, timeoutMs: 0 }, "durability.timeoutMs"],
    ["a WAIT as long as commandTimeout", { replicas: 1, timeoutMs: 2000 }, "durability.timeoutMs"],
    ["not an object", 1, "durability"],
  ])("rejects %s with ERR_STORE_INVALID_OPTION naming it", (_label, bad, name) => {
    const { executor } = piped(() => 1);
    expect(() => new RedisStore({ client: executor, durability: bad as never })).toThrow(
      `option ${name} is invalid`,
    );
  });

  it("refuses a binding without pipeline instead of silently skipping WAIT", () => {
    expect(() => new RedisStore({ client: ok, durability })).toThrow(
      /option durability is invalid/,
    );
  });

  it("pipelines WAIT behind set, touch, delete and deleteByUser, and not behind reads", async () => {
    const { executor, batches } = piped(() => 1);
    const store = new RedisStore({ client: executor, durability, shards: 2 });
    await store.set("k", entry());
    await store.touch("k", Date.now() + 60_000);
    await store.delete("k");
    expect(await store.deleteByUser("u")).toBe(2);
    expect(batches).toHaveLength(5);
    for (const batch of batches) {
      expect(batch).toHaveLength(2);
      expect(batch[0]![0]).toBe("EVALSHA");
      expect(batch[1]).toEqual(["WAIT", "1", "100"]);
    }
  });

  it("fails the write as unavailable when fewer replicas acknowledged it", async () => {
    const { executor } = piped((args) => (args[0] === "WAIT" ? 0 : 1));
    const store = new RedisStore({ client: executor, durability });
    const error = await rejection(store.set("k", entry()));
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("0 of 1 replicas within 100 ms");
  });

  it("retries the pair as EVAL after NOSCRIPT and still checks the WAIT", async () => {
    let waits = 0;
    const { executor, batches } = piped((args) => {
      if (args[0] === "EVALSHA") return new ReplyError("NOSCRIPT No matching script.");
      if (args[0] === "WAIT") return waits++ === 0 ? 1 : 0;
      return 1;
    });
    const store = new RedisStore({ client: executor, durability });
    const error = await rejection(store.set("k", entry()));
    expect(batches.map((b) => b.map((c) => c[0]))).toEqual([
      ["EVALSHA", "WAIT"],
      ["EVAL", "WAIT"],
    ]);
    expect(StoreUnavailableError.isInstance(error)).toBe(true);
  });

  it("maps an error reply or a transport failure in the pipeline like any other call", async () => {
    const moved = piped((args) => (args[0] === "WAIT" ? 1 : new ReplyError("MOVED 1 x:1")));
    expect(
      StoreUnavailableError.isInstance(
        await rejection(new RedisStore({ client: moved.executor, durability }).set("k", entry())),
      ),
    ).toBe(true);
    const noperm = piped((args) => (args[0] === "WAIT" ? new ReplyError("NOPERM wait") : 1));
    const error = await rejection(
      new RedisStore({ client: noperm.executor, durability }).delete("k"),
    );
    expect(StoreError.isInstance(error) && error.code).toBe("ERR_STORE_BACKEND");
    const down: RedisExecutor = {
      send: async () => 1,
      isReplyError: () => false,
      pipeline: async () => {
        throw new Error("connect ECONNREFUSED");
      },
    };
    expect(
      StoreUnavailableError.isInstance(
        await rejection(new RedisStore({ client: down, durability }).touch("k", Date.now() + 1)),
      ),
    ).toBe(true);
  });
});
