/**
 * Server-side revocations that failed and must not be forgotten (a logout
 * must end the session on the server, even during an outage): a logout whose `store.delete` rejected, a stateless deny
 * entry that could not be written. Bounded in size, retried on the next store
 * interaction and by an unref'd timer with backoff, so a dead store neither
 * grows memory without bound nor keeps the process alive.
 */
import type { StoreOperation } from "../events.js";

type Op = (() => Promise<void>) & { operation?: StoreOperation };

export class PendingRevocations {
  private readonly ops = new Map<string, Op>();
  private flushing: Promise<number> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;

  constructor(
    private readonly options: {
      maxPending: number;
      minDelayMs: number;
      maxDelayMs: number;
      onError(key: string, error: unknown, operation: StoreOperation): void;
      onDone(key: string): void;
      onDropped(key: string): void;
    },
  ) {
    this.delayMs = options.minDelayMs;
  }

  get size(): number {
    return this.ops.size;
  }

  /** True while `key`'s revocation is still owed: such a session must not load. */
  has(key: string): boolean {
    return this.ops.has(key);
  }

  add(key: string, run: () => Promise<void>, operation: StoreOperation = "delete"): void {
    const op: Op = () => run();
    op.operation = operation;
    this.ops.delete(key);
    this.ops.set(key, op);
    if (this.ops.size > this.options.maxPending) {
      const oldest = this.ops.keys().next().value as string;
      this.ops.delete(oldest);
      this.options.onDropped(oldest);
    }
    this.schedule();
  }

  /** Starts a retry in the background unless one is running; never rejects. */
  kick(): void {
    if (this.ops.size > 0 && this.flushing === undefined) void this.flush();
  }

  /** Retries every owed revocation in order, stopping at the first failure; resolves to how many remain. */
  flush(): Promise<number> {
    this.flushing ??= this.run().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async run(): Promise<number> {
    for (const [key, op] of [...this.ops]) {
      try {
        await op();
      } catch (error) {
        this.options.onError(key, error, op.operation ?? "delete");
        this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs);
        this.schedule();
        return this.ops.size;
      }
      // A newer op for the same key may have replaced this one meanwhile.
      if (this.ops.get(key) === op) {
        this.ops.delete(key);
        this.options.onDone(key);
      }
    }
    this.delayMs = this.options.minDelayMs;
    return this.ops.size;
  }

  private schedule(): void {
    if (this.timer !== undefined || typeof setTimeout !== "function") return;
    const timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.delayMs);
    // Node/Bun: do not keep the process alive for a retry; other runtimes have no unref.
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }
}
