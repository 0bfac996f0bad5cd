import { createHash } from "node:crypto";

// 40 MD5 digests x 4 points = 160 points per server, the ketama layout used by
// libmemcached and the `hashring` package: adding or removing one of n
// servers moves only about 1/n of the keys, instead of nearly all of them
// with `hash % n`.
const DIGESTS_PER_SERVER = 40;

function point(digest: Buffer, offset: number): number {
  return (
    ((digest[offset + 3]! << 24) |
      (digest[offset + 2]! << 16) |
      (digest[offset + 1]! << 8) |
      digest[offset]!) >>>
    0
  );
}

/**
 * A ketama consistent-hash ring over `servers` ("host:port" labels): returns a
 * function from key to server index.
 * @internal
 */
export function ketamaRing(servers: readonly string[]): (key: string) => number {
  const points: Array<[number, number]> = [];
  servers.forEach((server, index) => {
    for (let i = 0; i < DIGESTS_PER_SERVER; i++) {
      const digest = createHash("md5").update(`${server}-${i}`).digest();
      for (let k = 0; k < 4; k++) points.push([point(digest, k * 4), index]);
    }
  });
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hashes = Uint32Array.from(points, (p) => p[0]);
  const owners = Uint16Array.from(points, (p) => p[1]);
  return (key) => {
    if (owners.length <= 1) return 0;
    const h = point(createHash("md5").update(key).digest(), 0);
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return owners[lo === hashes.length ? 0 : lo]!;
  };
}
