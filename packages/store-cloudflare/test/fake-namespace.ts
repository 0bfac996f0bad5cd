import type {
  DurableObjectIdLike,
  DurableObjectListOptionsLike,
  DurableObjectNamespaceLike,
  DurableObjectStorageLike,
  DurableObjectStubLike,
} from "../src/index.js";
import { SessionStoreObject } from "../src/index.js";

/**
 * An in-memory stand-in for a Durable Object's storage: values are
 * structured-cloned like the real one, and `list` answers in key order.
 */
export class FakeStorage implements DurableObjectStorageLike {
  readonly data = new Map<string, unknown>();
  alarm: number | null = null;

  async get(keys: string[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    for (const key of keys)
      if (this.data.has(key)) out.set(key, structuredClone(this.data.get(key)));
    return out;
  }
  async put(entries: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) this.data.set(key, structuredClone(value));
  }
  async delete(keys: string[]): Promise<number> {
    let n = 0;
    for (const key of keys) if (this.data.delete(key)) n++;
    return n;
  }
  async list(options: DurableObjectListOptionsLike = {}): Promise<Map<string, unknown>> {
    const keys = [...this.data.keys()].sort().filter((k) => {
      if (options.prefix !== undefined && !k.startsWith(options.prefix)) return false;
      if (options.start !== undefined && k < options.start) return false;
      if (options.end !== undefined && k >= options.end) return false;
      return true;
    });
    const limited = options.limit === undefined ? keys : keys.slice(0, options.limit);
    return new Map(limited.map((k) => [k, structuredClone(this.data.get(k))]));
  }
  async getAlarm(): Promise<number | null> {
    return this.alarm;
  }
  async setAlarm(scheduledTime: number): Promise<void> {
    this.alarm = scheduledTime;
  }
}

/**
 * A namespace whose objects are real `SessionStoreObject`s on `FakeStorage`,
 * one request at a time per object (the runtime's input gate), so the
 * store's logic runs on Node. workerd itself runs in test/workerd.test.ts.
 */
export class FakeNamespace implements DurableObjectNamespaceLike {
  readonly objects = new Map<string, { object: SessionStoreObject; storage: FakeStorage }>();
  requests = 0;

  idFromName(name: string): DurableObjectIdLike {
    return { toString: () => name };
  }

  get(id: DurableObjectIdLike): DurableObjectStubLike {
    const name = id.toString();
    let entry = this.objects.get(name);
    if (entry === undefined) {
      const storage = new FakeStorage();
      entry = { object: new SessionStoreObject({ storage }), storage };
      this.objects.set(name, entry);
    }
    const { object } = entry;
    return {
      fetch: (request) => {
        this.requests++;
        const run = this.#queue.then(() => object.fetch(request));
        this.#queue = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
    };
  }

  #queue: Promise<void> = Promise.resolve();
}
