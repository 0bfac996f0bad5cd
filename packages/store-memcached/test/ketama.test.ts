import { describe, expect, it } from "vitest";
import { ketamaRing } from "../src/lib/ketama.js";

const keys = Array.from({ length: 3000 }, (_, i) => `tessera:key-${i}`);

describe("ketamaRing", () => {
  it("sends every key to server 0 when there is one server", () => {
    const ring = ketamaRing(["127.0.0.1:11211"]);
    expect(new Set(keys.map(ring))).toEqual(new Set([0]));
  });

  it("spreads keys over the servers and is deterministic", () => {
    const servers = ["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"];
    const ring = ketamaRing(servers);
    const counts = [0, 0, 0];
    for (const key of keys) counts[ring(key)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(keys.length / 6);
    expect(keys.map(ketamaRing(servers))).toEqual(keys.map(ring));
  });

  // The reason for a ring: with hash % n, adding a server remaps most keys
  // (and so logs most users out); with ketama only about 1/(n+1) move.
  it("moves only about a quarter of the keys when a fourth server joins", () => {
    const three = ketamaRing(["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"]);
    const four = ketamaRing([
      "10.0.0.1:11211",
      "10.0.0.2:11211",
      "10.0.0.3:11211",
      "10.0.0.4:11211",
    ]);
    const moved = keys.filter((key) => three(key) !== four(key));
    expect(moved.length).toBeLessThan(keys.length * 0.4);
    for (const key of moved) expect(four(key)).toBe(3);
  });

  // The README tells operators the list's order does not matter, only its spelling.
  it("places every key on the same server whatever the order of the list", () => {
    const servers = ["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"];
    const reordered = [servers[2]!, servers[0]!, servers[1]!];
    const a = ketamaRing(servers);
    const b = ketamaRing(reordered);
    expect(keys.map((key) => reordered[b(key)])).toEqual(keys.map((key) => servers[a(key)]));
  });

  it("moves only the removed server's keys when a server leaves", () => {
    const servers = ["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"];
    const remaining = [servers[0]!, servers[2]!];
    const before = ketamaRing(servers);
    const after = ketamaRing(remaining);
    for (const key of keys) {
      if (before(key) !== 1) expect(remaining[after(key)]).toBe(servers[before(key)]);
    }
  });
});
