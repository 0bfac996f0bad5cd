import { randomToken } from "@tessera/signing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setup } from "./helpers.js";

/** Incompressible-ish text of about `length` characters. */
const blob = (length: number) =>
  randomToken(32)
    .repeat(Math.ceil(length / 43))
    .slice(0, length);

// Regression: the read path capped sealed store values at 16,384 characters while the
// write path allowed about 89k, so larger encrypted sessions were written, never loaded again.
describe("encryptAtRest: one size limit for writing and reading", () => {
  it("a session sealed to more than 16,384 characters loads back", async () => {
    const { request, events } = setup({ encryptAtRest: true });
    const big = blob(20_000);
    await request((s) => s.set("blob", big));
    const { session } = await request(() => {});
    expect(session.rejected).toBeUndefined();
    expect(session.get("blob")).toBe(big);
    expect(events.some((e) => e.type === "rejected")).toBe(false);
  });

  it("a value too long to be read back is refused at commit, before anything is stored", async () => {
    // Within maxSize as JSON, but sealed past the 1 MiB that any sealed value may take.
    const { sessions, spy } = setup({ encryptAtRest: true, maxSize: 1_000_000 });
    const s = await sessions.load("");
    s.set("blob", blob(900_000));
    await expect(sessions.commit(s)).rejects.toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
    expect(spy.calls.set).toBe(0);
  });

  it("whatever commit stores, load reads back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(65_536, 200_000, 1_000_000),
        fc.integer({ min: 0, max: 1100 }).map((n) => n / 1000),
        fc.constantFrom(["a", 1], ["é", 2], ["中", 3], ["😀", 4] as const),
        async (maxSize, fraction, [unit, bytes]) => {
          const { sessions, spy } = setup({ encryptAtRest: true, maxSize });
          const s = await sessions.load("");
          // Around `fraction` of maxSize as UTF-8, some of it incompressible.
          const size = Math.floor(maxSize * fraction);
          const value =
            (unit as string).repeat(Math.floor(size / 2 / (bytes as number))) + blob(size / 2);
          s.set("blob", value);
          let lines: string[];
          try {
            lines = await sessions.commit(s);
          } catch (error) {
            expect(error).toMatchObject({ code: "ERR_SESSION_TOO_LARGE" });
            expect(spy.calls.set).toBe(0);
            return;
          }
          expect(spy.calls.set).toBe(1);
          const back = await sessions.load(lines[0]!.split(";")[0]!);
          expect(back.rejected).toBeUndefined();
          expect(back.get("blob")).toBe(value);
        },
      ),
      { numRuns: 40 },
    );
  });
});
