/**
 * A small benchmark harness: every figure of ours stands beside its peer,
 * measured in the same process and the same rounds, interleaved so that a
 * noisy neighbour slows both sides alike. Reported values are medians.
 */

/** One operation to time. It may be sync or async; its result is kept alive. */
export type Operation = () => unknown;

/** A row of a benchmark table. */
export interface Row {
  /** What was measured, e.g. "parse a 12-cookie header (899 B)". */
  case: string;
  /** Our figure, in `unit`. */
  ours: number;
  /** The peer's figure, in `unit`, or undefined when there is no peer. */
  peer?: number;
  /** The peer's name and version, e.g. "cookie@2.0.2". */
  peerName?: string;
  /** Unit of `ours` and `peer`, e.g. "µs/op", "req/s", "B/session". */
  unit: string;
  /**
   * How much better we are than the peer: peer/ours for costs (µs/op, bytes),
   * ours/peer for rates (req/s, ops/s). Above 1 means we win.
   */
  ratio?: number;
  /** The ratio the issue asks for, if any. */
  target?: number;
  /** Free text, e.g. "5 rounds". */
  note?: string;
}

/** A benchmark file default-exports one of these. */
export interface Benchmark {
  /** Stable id; also the section marker in docs/benchmarks.md. */
  id: string;
  /** Section heading. */
  title: string;
  /** Runs the measurements and returns the table rows. */
  run(options: RunOptions): Promise<Row[]>;
}

/** How long and how often to measure. */
export interface RunOptions {
  /** Rounds per comparison; the median is reported. */
  rounds: number;
  /** Milliseconds of timed work per side per round. */
  timeMs: number;
}

const sink: unknown[] = [];

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Times `op` for about `timeMs`, returns nanoseconds per operation. */
async function timeOnce(op: Operation, timeMs: number): Promise<number> {
  const async = isThenable(op());
  // Calibrate a batch that takes about 1/20 of the time budget.
  let batch = 1;
  for (;;) {
    const start = performance.now();
    if (async) for (let i = 0; i < batch; i++) await op();
    else for (let i = 0; i < batch; i++) sink[i & 7] = op();
    const took = performance.now() - start;
    if (took >= timeMs / 20 || batch >= 1 << 24) break;
    batch *= 2;
  }
  let ops = 0;
  const deadline = performance.now() + timeMs;
  const start = performance.now();
  while (performance.now() < deadline) {
    if (async) for (let i = 0; i < batch; i++) await op();
    else for (let i = 0; i < batch; i++) sink[i & 7] = op();
    ops += batch;
  }
  return ((performance.now() - start) * 1e6) / ops;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A micro comparison: our operation against the peer's, same input. */
export interface Comparison {
  case: string;
  ours: Operation;
  peer: Operation;
  peerName: string;
  target?: number;
}

/**
 * Measures each comparison in interleaved rounds (ours, peer, peer, ours, ...)
 * and reports the median µs/op of each side with the ratio peer/ours.
 */
export async function compare(comparisons: Comparison[], options: RunOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const c of comparisons) {
    const ours: number[] = [];
    const peer: number[] = [];
    await timeOnce(c.ours, options.timeMs / 4);
    await timeOnce(c.peer, options.timeMs / 4);
    for (let round = 0; round < options.rounds; round++) {
      if (round % 2 === 0) {
        ours.push(await timeOnce(c.ours, options.timeMs));
        peer.push(await timeOnce(c.peer, options.timeMs));
      } else {
        peer.push(await timeOnce(c.peer, options.timeMs));
        ours.push(await timeOnce(c.ours, options.timeMs));
      }
    }
    const o = median(ours) / 1000;
    const p = median(peer) / 1000;
    rows.push({
      case: c.case,
      ours: o,
      peer: p,
      peerName: c.peerName,
      unit: "µs/op",
      ratio: p / o,
      ...(c.target === undefined ? {} : { target: c.target }),
      note: `median of ${options.rounds} rounds`,
    });
  }
  return rows;
}
