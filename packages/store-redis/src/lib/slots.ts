/** Redis Cluster has 16384 hash slots (Redis Cluster specification, "Key distribution model"). */
export const CLUSTER_SLOTS = 16384;

/**
 * CRC16-XMODEM (polynomial 0x1021, initial value 0), the checksum Redis
 * Cluster uses for `HASH_SLOT = CRC16(key) mod 16384`. Input is ASCII here
 * (our own tags), so char codes are the bytes.
 */
export function crc16(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** The slot of an ASCII string used as a hash tag. */
export function slotOf(tag: string): number {
  return crc16(tag) % CLUSTER_SLOTS;
}

/**
 * One hash tag per shard, chosen so shard `i` lands in the `i`-th of `n`
 * equal slot ranges. A Cluster assigns masters contiguous slot ranges by
 * default, so evenly spaced slots spread the shards (and their load) evenly
 * over the masters instead of trusting `n` random slots to do so.
 * Deterministic: every process computes the same tags.
 */
export function shardTags(n: number): string[] {
  const tags: string[] = [];
  for (let i = 0; i < n; i++) {
    const low = Math.floor((i * CLUSTER_SLOTS) / n);
    const high = Math.floor(((i + 1) * CLUSTER_SLOTS) / n);
    for (let j = 0; ; j++) {
      const tag = `${i}.${j}`;
      const slot = slotOf(tag);
      if (slot >= low && slot < high) {
        tags.push(tag);
        break;
      }
    }
  }
  return tags;
}

/** FNV-1a 32-bit: a cheap, stable spread of session keys over shards. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
