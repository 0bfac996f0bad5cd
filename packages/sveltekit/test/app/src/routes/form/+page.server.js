import { fail } from "@sveltejs/kit";

export async function load({ locals }) {
  return { csrf: await locals.session.csrfToken(), n: locals.session.get("n") ?? 0 };
}

export const actions = {
  async default({ request, locals }) {
    const form = await request.formData();
    if (!(await locals.session.verifyCsrf(form.get("csrf")))) {
      return fail(403, { error: "Form expired" });
    }
    locals.session.set("n", Number(form.get("n")));
    return { saved: true };
  },
};
