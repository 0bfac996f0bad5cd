import type { RedisExecutor } from "../executor.js";

/** Rejection of the store's own `commandTimeout`; kept as `cause`. */
export class CommandTimeoutError extends Error {
  constructor(command: string, ms: number) {
    super(`redis ${command} did not answer within ${ms} ms`);
    this.name = "CommandTimeoutError";
  }
}

/** One command in flight: a node of the deadline list, dropped when it settles. */
interface Pending {
  readonly deadline: number;
  readonly command: string;
  readonly ms: number;
  readonly reject: (error: unknown) => void;
  prev: Pending | null;
  next: Pending | null;
  linked: boolean;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The store's per-command timeouts, with one timer for all of them.
 *
 * A `setTimeout`/`clearTimeout` pair, a timeout promise and a `Promise.race`
 * per command cost more server CPU than the command's own bookkeeping. Every
 * command of a store shares one `commandTimeout`, so deadlines arrive in
 * order: they are kept in an insertion-ordered doubly-linked list, a reply
 * unlinks its node in O(1), and a single timer is armed for the head. The
 * timer is not moved when the head settles early: when it fires it rejects
 * the heads that are due and re-arms for the new head, so under load it
 * fires about once per `commandTimeout`, not once per command. A deadline
 * earlier than the tail (the EVAL fallback, which keeps its EVALSHA's
 * deadline) is inserted in order by walking back from the tail; that is rare
 * and bounded by the commands in flight.
 *
 * Deadlines use `performance.now()` (monotonic): a wall-clock step must not
 * expire every command in flight at once, nor reorder the list.
 */
export class Deadlines {
  #head: Pending | null = null;
  #tail: Pending | null = null;
  #timer: Timer | undefined;
  /** The deadline the timer is armed for; Infinity when it is not armed. */
  #armedFor = Number.POSITIVE_INFINITY;
  #closed = false;
  readonly #now: () => number;
  readonly #fire = (): void => this.#expire();

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** The current time on this list's clock, for deadlines passed to {@link send}. */
  now(): number {
    return this.#now();
  }

  /** Commands in flight (for tests). */
  get size(): number {
    let n = 0;
    for (let p = this.#head; p !== null; p = p.next) n++;
    return n;
  }

  /** True while the shared timer is armed (for tests). */
  get armed(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Sends one command and settles with its reply, or rejects with
   * {@link CommandTimeoutError} at `deadline` (this list's clock). A reply or
   * rejection that arrives later is consumed silently; a synchronous throw
   * from the client is a rejection.
   *
   * `args` is handed to the client as is: callers build a fresh array per call.
   */
  send(
    client: RedisExecutor,
    key: string,
    args: readonly string[],
    deadline: number,
    ms: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let reply: Promise<unknown>;
      try {
        // Promise.resolve returns a native promise as is; it guards an executor returning a bare value.
        reply = Promise.resolve(client.send(key, args, { timeoutMs: ms }));
      } catch (error) {
        reject(error);
        return;
      }
      this.#track(reply, args[0]!, deadline, ms, resolve, reject);
    });
  }

  /**
   * {@link send} for a pipeline (the `durability` option's write and its
   * `WAIT`): one deadline for the whole batch. The client must have `pipeline`.
   */
  pipeline(
    client: RedisExecutor,
    key: string,
    commands: readonly (readonly string[])[],
    deadline: number,
    ms: number,
  ): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      let replies: Promise<unknown[]>;
      try {
        replies = Promise.resolve(client.pipeline!(key, commands, { timeoutMs: ms }));
      } catch (error) {
        reject(error);
        return;
      }
      this.#track(replies, commands[0]![0]!, deadline, ms, resolve, reject);
    });
  }

  /** Links a deadline for `reply` and settles the caller's promise with whichever comes first. */
  #track<T>(
    reply: Promise<T>,
    command: string,
    deadline: number,
    ms: number,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): void {
    const node: Pending = { deadline, command, ms, reject, prev: null, next: null, linked: false };
    this.#link(node);
    // Both handlers are attached at once, so a late rejection is handled, never
    // reported as unhandled; settling an already rejected promise is a no-op.
    reply.then(
      (value) => {
        this.#unlink(node);
        resolve(value);
      },
      (error: unknown) => {
        this.#unlink(node);
        reject(error);
      },
    );
  }

  /**
   * No new commands will come: the timer is cleared now if nothing is in
   * flight, else as soon as the last command settles or expires (it still
   * bounds those).
   */
  close(): void {
    this.#closed = true;
    if (this.#head === null) this.#disarm();
  }

  #link(node: Pending): void {
    const tail = this.#tail;
    node.linked = true;
    if (tail === null) {
      this.#head = this.#tail = node;
    } else if (node.deadline >= tail.deadline) {
      node.prev = tail;
      tail.next = node;
      this.#tail = node;
    } else {
      let after: Pending | null = tail.prev;
      while (after !== null && after.deadline > node.deadline) after = after.prev;
      node.prev = after;
      node.next = after === null ? this.#head : after.next;
      node.next!.prev = node;
      if (after === null) this.#head = node;
      else after.next = node;
    }
    if (node.deadline < this.#armedFor) this.#arm(node.deadline);
  }

  #unlink(node: Pending): void {
    if (!node.linked) return;
    node.linked = false;
    const { prev, next } = node;
    if (prev === null) this.#head = next;
    else prev.next = next;
    if (next === null) this.#tail = prev;
    else next.prev = prev;
    node.prev = node.next = null;
    if (this.#closed && this.#head === null) this.#disarm();
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = deadline;
    // Timers count whole milliseconds and may fire a fraction early: #expire re-arms then.
    const timer = setTimeout(this.#fire, Math.max(1, Math.ceil(deadline - this.#now())));
    // Never keep a process alive for a timeout (Node, Bun; absent on browsers and workers).
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  #expire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#now();
    let head = this.#head;
    while (head !== null && head.deadline <= now) {
      this.#unlink(head);
      head.reject(new CommandTimeoutError(head.command, head.ms));
      head = this.#head;
    }
    if (head !== null) this.#arm(head.deadline);
  }
}
