import { type Html, html } from "./html.js";

function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 45) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

/** "3 min ago" / "in 27 min", from the server's clock. */
export function relative(at: number, now: number): string {
  const d = at - now;
  if (Math.abs(d) < 1500) return "just now";
  return d < 0 ? `${span(d)} ago` : `in ${span(d)}`;
}

/** A `<time>` element: relative text, the exact UTC instant on hover. */
export function time(at: number, now: number): Html {
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}" title="${iso.replace("T", " ").slice(0, 19)} UTC">${relative(at, now)}</time>`;
}

/** "Chrome on Linux" from a User-Agent header, good enough for a sessions list. */
export function describeAgent(userAgent: string | undefined): string {
  if (userAgent === undefined || userAgent === "") return "Unknown client";
  const ua = userAgent;
  const browser = /HeadlessChrome\//.test(ua)
    ? "Headless Chrome"
    : /Edg\//.test(ua)
      ? "Edge"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : /^curl\//.test(ua)
              ? "curl"
              : /^node|undici/i.test(ua)
                ? "Node.js"
                : undefined;
  const os = /Windows/.test(ua)
    ? "Windows"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Mac OS X/.test(ua)
        ? "macOS"
        : /Android/.test(ua)
          ? "Android"
          : /Linux/.test(ua)
            ? "Linux"
            : undefined;
  if (browser === undefined) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua;
  return os === undefined ? browser : `${browser} on ${os}`;
}
