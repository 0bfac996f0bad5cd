import type { Row } from "./harness.js";

function fmt(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "";
  if (value >= 1000) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/** Renders rows as a Markdown table. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [
    "| Case | Tessera | Peer | Peer figure | Unit | Ratio | Target | Met |",
    "|---|---:|---|---:|---|---:|---:|:---:|",
  ];
  for (const r of rows) {
    const met =
      r.target === undefined || r.ratio === undefined ? "" : r.ratio >= r.target ? "yes" : "no";
    lines.push(
      `| ${r.case} | ${fmt(r.ours)} | ${r.peerName ?? ""} | ${fmt(r.peer)} | ${r.unit} | ${
        r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}x`
      } | ${r.target === undefined ? "" : `${r.target}x`} | ${met} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Replaces (or appends) the section of `doc` between the markers for `id`,
 * so that running one benchmark leaves the others' figures as they were.
 */
export function upsertSection(doc: string, id: string, body: string): string {
  const open = `<!-- bench:${id} -->`;
  const close = `<!-- /bench:${id} -->`;
  const section = `${open}\n${body}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start !== -1 && end > start) {
    return doc.slice(0, start) + section + doc.slice(end + close.length);
  }
  return `${doc.trimEnd()}\n\n${section}\n`;
}
