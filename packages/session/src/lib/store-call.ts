import type { StoreOperation } from "../events.js";
import type { Context } from "./context.js";

/** Emits `store_error` with the error's name/code only: messages may quote keys or URLs. */
export function reportStoreError(
  ctx: Context,
  operation: StoreOperation,
  error: unknown,
  session?: string,
): void {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  ctx.emit({
    type: "store_error",
    at: ctx.now(),
    operation,
    ...(session === undefined ? {} : { session }),
    error: typeof code === "string" ? code : typeof name === "string" ? name : "Error",
  });
}
