/**
 * A binary min-heap of (time, key) pairs in two parallel arrays: a packed
 * double array and an array of the key strings the store already holds, so a
 * node costs about 16 bytes and no object. Entries are invalidated lazily:
 * the store checks a popped node against its record.
 */
export class ExpiryHeap {
  private times: number[] = [];
  private keys: string[] = [];

  get size(): number {
    return this.times.length;
  }

  /** Earliest time in the heap, or Infinity when empty. */
  peekTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  /** Key of the earliest node; only valid when size > 0. */
  peekKey(): string {
    return this.keys[0]!;
  }

  push(time: number, key: string): void {
    const times = this.times;
    const keys = this.keys;
    let i = times.length;
    times.push(time);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt <= time) break;
      times[i] = pt;
      keys[i] = keys[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
  }

  /** Removes the earliest node. */
  pop(): void {
    const lastTime = this.times.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.times.length === 0) return;
    this.times[0] = lastTime;
    this.keys[0] = lastKey;
    this.siftDown(0);
  }

  /** Replaces the contents with the given pairs in O(n) (Floyd's heap construction). */
  rebuild(times: number[], keys: string[]): void {
    this.times = times;
    this.keys = keys;
    for (let i = (times.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  clear(): void {
    this.times = [];
    this.keys = [];
  }

  private siftDown(start: number): void {
    const times = this.times;
    const keys = this.keys;
    const n = times.length;
    const time = times[start]!;
    const key = keys[start]!;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && times[right]! < times[left]!) child = right;
      if (times[child]! >= time) break;
      times[i] = times[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    times[i] = time;
    keys[i] = key;
  }
}
