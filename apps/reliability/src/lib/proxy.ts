import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

/** What the proxy does to traffic, switchable at any time. */
export type ProxyMode =
  /** Forward bytes both ways untouched. */
  | { kind: "pass" }
  /** Hold every chunk this long before forwarding it (a slow network or server). */
  | { kind: "latency"; ms: number }
  /** Accept connections and swallow every byte: the server seems to hang. */
  | { kind: "blackhole" }
  /**
   * Forward the next client-to-server chunk, then cut the connection before
   * the reply comes back (a command dropped mid-flight), then return to "pass".
   */
  | { kind: "drop-next" }
  /** Like "drop-next", after letting `chunks` client-to-server chunks through (targets a later command). */
  | { kind: "drop-after"; chunks: number }
  /** Stop listening: new connections are refused (ECONNREFUSED); open ones are cut. */
  | { kind: "refuse" };

interface Pair {
  client: Socket;
  upstream: Socket;
  queues: Record<"up" | "down", Array<{ at: number; chunk: Buffer }>>;
}

/**
 * A small TCP fault proxy (toxiproxy-style) between an application and a
 * real store server, so fault tests never stop the shared servers. Listens on
 * 127.0.0.1 only.
 */
export class FaultProxy {
  readonly host = "127.0.0.1";
  port = 0;
  private server: Server | undefined;
  private readonly pairs = new Set<Pair>();
  private mode: ProxyMode = { kind: "pass" };
  /** Connections accepted, for the report. */
  accepted = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<this> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** `host:port` of the proxy. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  async set(mode: ProxyMode): Promise<void> {
    const previous = this.mode;
    this.mode = mode;
    if (mode.kind === "refuse") {
      this.cutAll();
      await this.stopListening();
    } else if (previous.kind === "refuse") {
      await this.start(this.port);
    }
    if (mode.kind === "blackhole") {
      // Open connections go silent too: their pending replies never arrive.
      for (const pair of this.pairs) pair.upstream.pause();
    } else if (previous.kind === "blackhole") {
      // A hung server that comes back does not resume half-read streams; drop them.
      this.cutAll();
    }
  }

  /** Destroys every open connection (both sides). */
  cutAll(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    await this.stopListening();
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    const upstream = connect(this.target);
    const pair: Pair = { client, upstream, queues: { up: [], down: [] } };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.on("data", (chunk) => this.forward(pair, chunk, "up"));
    upstream.on("data", (chunk) => this.forward(pair, chunk, "down"));
  }

  /**
   * Writes `chunk` after `delayMs`, but never before a chunk queued earlier in
   * the same direction: TCP never reorders bytes, and a proxy that did would
   * desynchronise request/reply protocols by itself.
   */
  private send(pair: Pair, way: "up" | "down", chunk: Buffer, delayMs: number): void {
    const to = way === "up" ? pair.upstream : pair.client;
    const queue = pair.queues[way];
    if (delayMs === 0 && queue.length === 0) {
      to.write(chunk);
      return;
    }
    const last = queue.at(-1)?.at ?? 0;
    queue.push({ at: Math.max(performance.now() + delayMs, last), chunk });
    if (queue.length === 1) this.drain(pair, way);
  }

  private drain(pair: Pair, way: "up" | "down"): void {
    const queue = pair.queues[way];
    const head = queue[0];
    if (head === undefined) return;
    setTimeout(
      () => {
        const to = way === "up" ? pair.upstream : pair.client;
        while (queue.length > 0 && queue[0]!.at <= performance.now()) {
          const item = queue.shift()!;
          if (!to.destroyed) to.write(item.chunk);
        }
        this.drain(pair, way);
      },
      Math.max(0, head.at - performance.now()),
    );
  }

  private forward(pair: Pair, chunk: Buffer, way: "up" | "down") {
    const to = way === "up" ? pair.upstream : pair.client;
    const mode = this.mode;
    switch (mode.kind) {
      case "pass":
        this.send(pair, way, chunk, 0);
        return;
      case "latency":
        this.send(pair, way, chunk, mode.ms);
        return;
      case "blackhole":
      case "refuse":
        return;
      case "drop-after":
      case "drop-next": {
        if (way === "down") {
          this.send(pair, way, chunk, 0);
          return;
        }
        to.write(chunk);
        if (mode.kind === "drop-after" && mode.chunks > 0) {
          this.mode = { kind: "drop-after", chunks: mode.chunks - 1 };
          return;
        }
        this.mode = { kind: "pass" };
        // The command reached the server; cut before its reply is relayed.
        setImmediate(() => {
          pair.client.destroy();
          pair.upstream.destroy();
          this.pairs.delete(pair);
        });
        return;
      }
    }
  }
}
