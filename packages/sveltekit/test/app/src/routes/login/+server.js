import { redirect } from "@sveltejs/kit";

export async function POST({ locals, url }) {
  await locals.session.login(url.searchParams.get("user") ?? "", { carryOver: ["n"] });
  locals.session.flash("notice", "welcome");
  redirect(303, "/count");
}
