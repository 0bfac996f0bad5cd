import { supportsUserIndex } from "@tessera/store";
import { describeStore } from "@tessera/store/conformance/vitest";
import { expect, it } from "vitest";
import { MapStore } from "./map-store.js";

// The whole contract, exactly as a third-party author would run it.
describeStore("MapStore (third-party example)", () => new MapStore(), { userIndex: true });

it("declares the per-user index capability", () => {
  expect(supportsUserIndex(new MapStore())).toBe(true);
});
