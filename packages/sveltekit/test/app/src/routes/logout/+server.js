export async function POST({ locals }) {
  await locals.session.logout();
  return new Response("bye");
}
