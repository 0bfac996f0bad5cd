import { type Bag, emptyBag, type SessionRecord } from "./record.js";

/** One key-level change made by this request. */
export type Change = { op: "set"; value: unknown } | { op: "delete" };

/** Key-level changes of one request: what a conflict merge re-applies. */
export interface Changes {
  data: Map<string, Change>;
  flash: Map<string, Change>;
  /** `setPersistent` in this request: re-applied by a merge like a key. */
  persistent: boolean | undefined;
}

export function noChanges(): Changes {
  return { data: new Map(), flash: new Map(), persistent: undefined };
}

/**
 * The shared "nothing changed" value: most requests change nothing, and two
 * Maps per request (and again after each commit) were pure garbage. Never
 * written: SessionImpl swaps in its own `noChanges()` before the first change.
 */
export const NO_CHANGES: Readonly<Changes> = Object.freeze(noChanges());

export function hasChanges(changes: Changes): boolean {
  return changes.data.size > 0 || changes.flash.size > 0 || changes.persistent !== undefined;
}

export function applyChanges(target: Bag, changes: Map<string, Change>): void {
  for (const [key, change] of changes) {
    if (change.op === "set") target[key] = change.value;
    else delete target[key];
  }
}

/**
 * Rebuilds this request's write on top of the record another request stored
 * meanwhile. Only application keys this request touched are re-applied;
 * `userId`, `authTime` and `createdAt` come from the stored record, so a merge
 * never loses or reverts them (SECURITY decision 3).
 */
export function mergeInto(
  stored: SessionRecord,
  changes: Changes,
  lastSeenAt: number,
  meta: SessionRecord["meta"],
): SessionRecord {
  const data = emptyBag();
  for (const key of Object.keys(stored.data)) data[key] = stored.data[key];
  applyChanges(data, changes.data);
  const merged: SessionRecord = {
    ...stored,
    lastSeenAt: Math.max(stored.lastSeenAt, lastSeenAt),
    data,
  };
  if (changes.flash.size > 0 || stored.flash !== undefined) {
    const flash = emptyBag();
    if (stored.flash) for (const key of Object.keys(stored.flash)) flash[key] = stored.flash[key];
    applyChanges(flash, changes.flash);
    if (Object.keys(flash).length > 0) merged.flash = flash;
    else delete merged.flash;
  }
  if (meta !== undefined) merged.meta = meta;
  if (changes.persistent !== undefined) merged.persistent = changes.persistent;
  return merged;
}
