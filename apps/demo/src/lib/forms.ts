import type { Request } from "express";

/** A string field of a parsed form or JSON body; anything else (arrays, objects, absent) is undefined. */
export function field(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * A same-site path to go back to after signing in, or "/". Only absolute
 * paths on this origin: `//evil.example` and `/\evil.example` are
 * protocol-relative in browsers, so they would be open redirects.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 200) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  return next;
}
