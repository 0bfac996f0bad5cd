import { describe, expect, it } from "vitest";
import { median } from "./harness.js";
import { renderTable, upsertSection } from "./report.js";

describe("report", () => {
  it("replaces only its own section", () => {
    let doc = "# B\n";
    doc = upsertSection(doc, "a", "A1");
    doc = upsertSection(doc, "b", "B1");
    doc = upsertSection(doc, "a", "A2");
    expect(doc).toContain("A2");
    expect(doc).not.toContain("A1");
    expect(doc).toContain("B1");
    expect(doc.indexOf("bench:a")).toBeLessThan(doc.indexOf("bench:b"));
  });

  it("marks a missed target", () => {
    const table = renderTable([
      { case: "x", ours: 2, peer: 1, unit: "µs/op", ratio: 0.5, target: 1 },
    ]);
    expect(table).toContain("| no |");
  });

  it("takes the median", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
