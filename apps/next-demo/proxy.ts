import type { NextRequest } from "next/server";
import { proxy as sessionProxy } from "@/lib/session";

/** Sliding expiry and renewal for every page and action, seen by the same request's render. */
export function proxy(request: NextRequest) {
  return sessionProxy(request);
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
