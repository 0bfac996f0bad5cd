import { describe, expect, it } from "vitest";
import { decodeRecord, encodeRecord } from "../src/lib/record.js";
import vectors from "./vectors/record-v1.json" with { type: "json" };

const expand = (text: string) => text.replace("LONG", "u".repeat(1025));

describe("record format v1 vectors", () => {
  it.each(vectors.valid.map((v) => [v.name, v.text]))("decodes %s", (_, text) => {
    const record = decodeRecord(text);
    expect(record).not.toBeNull();
    // re-encoding is stable: decode(encode(decode(x))) equals decode(x)
    expect(decodeRecord(encodeRecord(record!))).toEqual(record);
  });

  it.each(vectors.invalid.map((v) => [v.name, v.text]))("refuses %s", (_, text) => {
    expect(decodeRecord(expand(text))).toBeNull();
  });
});
