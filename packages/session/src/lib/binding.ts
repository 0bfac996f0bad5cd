import type { SessionMeta } from "./record.js";

/** What a binding check compares: the user-agent family and the network, never exact values. */
export type BindingChange = "userAgent" | "ip";

const UNCHANGED: readonly BindingChange[] = Object.freeze([]);

/**
 * A coarse browser family and platform, so a browser update (a new version
 * number in the User-Agent) is not reported as a different client. Order
 * matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
 */
export function userAgentFamily(ua: string): string {
  const s = ua.slice(0, 512);
  const browser = /\bEdg(e|A|iOS)?\//.test(s)
    ? "edge"
    : /\bOPR\/|\bOpera\b/.test(s)
      ? "opera"
      : /\bFirefox\b|\bFxiOS\//.test(s)
        ? "firefox"
        : /\bChrom(e|ium)\b|\bCriOS\//.test(s)
          ? "chrome"
          : /\bSafari\//.test(s)
            ? "safari"
            : (/^\s*([A-Za-z][A-Za-z0-9._-]*)/.exec(s)?.[1]?.toLowerCase() ?? "");
  const platform = /Windows/.test(s)
    ? "windows"
    : /Android/.test(s)
      ? "android"
      : /iPhone|iPad|iPod|\biOS\b/.test(s)
        ? "ios"
        : /Mac OS X|Macintosh/.test(s)
          ? "mac"
          : /CrOS/.test(s)
            ? "chromeos"
            : /Linux/.test(s)
              ? "linux"
              : "";
  return `${browser}/${platform}`;
}

/** The 8 groups of an IPv6 address as numbers, or null (RFC 4291 §2.2 text forms). */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const tail: number[] = [];
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((n) => n > 255)) return null;
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    text = text.slice(0, v4.index);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = [...head, ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const missing = 8 - tail.length - groups.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [
    ...head.map((g) => Number.parseInt(g, 16)),
    ...new Array<number>(halves.length === 2 ? missing : 0).fill(0),
    ...rest.map((g) => Number.parseInt(g, 16)),
    ...tail,
  ];
}

/** The network an address belongs to: IPv4 /16 or IPv6 /48 (IPv4-mapped IPv6 counts as IPv4). */
export function network(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  if (v4) return `${Number(v4[1])}.${Number(v4[2])}`;
  const groups = ipv6Groups(ip);
  if (groups === null) return ip;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}`;
  }
  return groups.slice(0, 3).join(":");
}

/** Same IPv4 /16 or IPv6 /48: a coarse "same network" test for the binding signal. */
export function sameNetwork(a: string, b: string): boolean {
  return a === b || network(a) === network(b);
}

/**
 * What differs between the metadata recorded with a session and this
 * request's: the user-agent family, or the IPv4 /16 / IPv6 /48 network.
 * Missing values on either side are not a change.
 */
export function bindingChanges(
  recorded: SessionMeta | undefined,
  seen: SessionMeta | undefined,
): readonly BindingChange[] {
  // Same client is the per-request common case: answer it without allocating.
  if (recorded === undefined || seen === undefined) return UNCHANGED;
  if (recorded.userAgent === seen.userAgent && recorded.ip === seen.ip) return UNCHANGED;
  const changed: BindingChange[] = [];
  const a = recorded.userAgent;
  const b = seen.userAgent?.slice(0, 512);
  if (a !== undefined && b !== undefined && a !== b && userAgentFamily(a) !== userAgentFamily(b)) {
    changed.push("userAgent");
  }
  const x = recorded.ip;
  const y = seen.ip?.slice(0, 64);
  if (x !== undefined && y !== undefined && !sameNetwork(x, y)) changed.push("ip");
  return changed.length === 0 ? UNCHANGED : changed;
}
