import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

type Op = { key: string; value: number | null };
const keyArb = fc.constantFrom("a", "b", "c", "d", "e", "__proto__", "constructor", "toString");
const opsArb = fc.array(fc.record({ key: keyArb, value: fc.option(fc.integer(), { nil: null }) }), {
  maxLength: 12,
});

type Loose = {
  set(key: string, value: unknown): void;
  delete(key: string): void;
  get(key: string): unknown;
  toJSON(): Record<string, unknown>;
};

function apply(model: Map<string, number>, session: Loose, ops: Op[]) {
  for (const { key, value } of ops) {
    if (value === null) {
      model.delete(key);
      session.delete(key);
    } else {
      model.set(key, value);
      session.set(key, value);
    }
  }
}

describe("properties", () => {
  it("any sequence of sets and deletes over requests round-trips like a Map", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opsArb, { minLength: 1, maxLength: 4 }), async (requests) => {
        const { request } = setup();
        const model = new Map<string, number>();
        for (const ops of requests) {
          await request((s) => apply(model, s as unknown as Loose, ops));
        }
        const { session } = await request(() => {});
        expect({ ...(session as unknown as Loose).toJSON() }).toEqual(Object.fromEntries(model));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it("two overlapping requests on disjoint keys both keep every change", async () => {
    await fc.assert(
      fc.asyncProperty(opsArb, opsArb, async (opsA, opsB) => {
        const { request, jar, sessions } = setup();
        await request((s) => s.set("n", 0));
        const keysA = opsA.map((o) => `A${o.key}`);
        const a = (await sessions.load(jar.header())) as unknown as Loose;
        const b = (await sessions.load(jar.header())) as unknown as Loose;
        const modelA = new Map<string, number>();
        const modelB = new Map<string, number>();
        apply(
          modelA,
          a,
          opsA.map((o, i) => ({ key: keysA[i]!, value: o.value })),
        );
        apply(
          modelB,
          b,
          opsB.map((o) => ({ key: `B${o.key}`, value: o.value })),
        );
        await sessions.commit(a as never);
        await sessions.commit(b as never);
        const final = (await sessions.load(jar.header())) as unknown as Loose;
        expect({ ...final.toJSON() }).toEqual({
          n: 0,
          ...Object.fromEntries(modelA),
          ...Object.fromEntries(modelB),
        });
      }),
      { numRuns: 150 },
    );
  });

  it("load never throws on an arbitrary Cookie header", async () => {
    const { sessions, spy } = setup();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (value) => {
        const s = await sessions.load(`__Host-sid=${value}`);
        expect(s.userId).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    expect(spy.calls.get).toBe(0);
  });
});
