import type { RejectReason } from "../events.js";

/** Resolved brute-force detection settings. */
export interface BruteforceSettings {
  threshold: number;
  windowMs: number;
  maxTracked: number;
}

/** Rejections that look like guessing: ids the server never issued or cannot verify. */
const GUESSES: ReadonlySet<RejectReason> = new Set<RejectReason>([
  "unknown_id",
  "bad_signature",
  "malformed",
  "renewal_reuse",
]);

interface Counter {
  start: number;
  count: number;
  reported: boolean;
}

/**
 * Per-IP fixed-window counters of guessed session ids. Memory is bounded by
 * `maxTracked`: a Map kept in recency order (delete + set on every hit) loses
 * its least recently seen IP first, so a flood of spoofed sources costs at
 * most `maxTracked` small entries: memory stays bounded under attack.
 */
export class BruteforceDetector {
  private readonly counters = new Map<string, Counter>();
  constructor(private readonly settings: BruteforceSettings) {}

  /** Records one rejection; returns the count when this one crosses the threshold, once per window. */
  note(reason: RejectReason, ip: string | undefined, now: number): number | undefined {
    if (ip === undefined || !GUESSES.has(reason)) return undefined;
    const key = ip.slice(0, 64);
    let counter = this.counters.get(key);
    if (
      counter === undefined ||
      now - counter.start >= this.settings.windowMs ||
      now < counter.start
    ) {
      counter = { start: now, count: 0, reported: false };
    }
    this.counters.delete(key);
    this.counters.set(key, counter);
    if (this.counters.size > this.settings.maxTracked) {
      const oldest = this.counters.keys().next().value;
      if (oldest !== undefined) this.counters.delete(oldest);
    }
    counter.count++;
    if (counter.reported || counter.count < this.settings.threshold) return undefined;
    counter.reported = true;
    return counter.count;
  }

  /** IPs currently tracked (tests and diagnostics). */
  get size(): number {
    return this.counters.size;
  }
}
