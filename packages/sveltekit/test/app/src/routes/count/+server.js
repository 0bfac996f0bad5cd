import { json } from "@sveltejs/kit";

export async function GET({ locals }) {
  const n = (locals.session.get("n") ?? 0) + 1;
  locals.session.set("n", n);
  return json({ n, notice: locals.session.consumeFlash("notice") ?? null });
}
