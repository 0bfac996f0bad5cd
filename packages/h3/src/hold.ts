import type { ServerResponse } from "node:http";

type Write = "writeHead" | "write" | "end" | "flushHeaders";
type Method = (...args: unknown[]) => unknown;
const WRITES: readonly Write[] = ["writeHead", "write", "end", "flushHeaders"];

/**
 * Holds the calls that send a response's headers (`writeHead`, `write`,
 * `end`, `flushHeaders`) from the first one until `beforeHeaders` settles,
 * then replays them in order. h3's own helpers (`sendRedirect`, `send`,
 * `sendStream`) write to the Node response from inside the handler, before
 * any hook after the handler runs; the hold lets the session commit (an
 * async store write) finish and add its cookie before those headers go out.
 * Patched on this one response object only, never on a prototype.
 */
export class ResponseHold {
  private state: "open" | "held" | "done" = "open";
  private queue: Array<[Write, unknown[]]> = [];
  private readonly originals: Record<Write, Method>;
  /** Settles once the held calls were replayed or replaced; undefined while nothing was held. */
  settled: Promise<void> | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly beforeHeaders: (status: number) => Promise<void>,
  ) {
    const target = res as unknown as Record<Write, Method>;
    this.originals = {
      writeHead: target.writeHead,
      write: target.write,
      end: target.end,
      flushHeaders: target.flushHeaders,
    };
    for (const name of WRITES) target[name] = (...args) => this.intercept(name, args);
  }

  /** True until a header-sending call arrived or the hold was released. */
  get open(): boolean {
    return this.state === "open";
  }

  /** Lets every later call through untouched. */
  release(): void {
    this.state = "done";
  }

  /**
   * Drops what was held and sends this answer instead (a commit that
   * failed): none of the headers the app had set, nothing of its body.
   */
  replace(status: number, headers: Readonly<Record<string, string>>, body: string): void {
    this.state = "done";
    this.queue = [];
    const res = this.res;
    if (res.headersSent) return;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    this.originals.writeHead.call(res, status, { ...headers, "content-type": "text/plain" });
    this.originals.end.call(res, body);
  }

  private intercept(name: Write, args: unknown[]): unknown {
    if (this.state === "done") return this.originals[name].apply(this.res, args);
    this.queue.push([name, args]);
    if (this.state === "open") {
      this.state = "held";
      const status =
        name === "writeHead" && typeof args[0] === "number" ? args[0] : this.res.statusCode;
      this.settled = this.flush(status);
    }
    // What Node returns for each: a write reports success, the others the response.
    return name === "write" ? true : name === "flushHeaders" ? undefined : this.res;
  }

  private async flush(status: number): Promise<void> {
    await this.beforeHeaders(status);
    if (this.state === "done" && this.queue.length === 0) return;
    this.state = "done";
    const calls = this.queue;
    this.queue = [];
    for (const [name, args] of calls) this.originals[name].apply(this.res, args);
  }
}
