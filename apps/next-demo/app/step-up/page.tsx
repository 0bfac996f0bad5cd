import { redirect } from "next/navigation";
import { getSession } from "@/lib/session";
import { confirmPassword } from "../actions";
import { Notice } from "../notice";

export const dynamic = "force-dynamic";

/** How recent a sign-in this page needs, seconds (OWASP ASVS 4.0 §3.7.1: re-authenticate for sensitive operations). */
const FRESH = Number(process.env.TESSERA_STEP_UP_SECONDS ?? 300);

export default async function StepUp({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getSession();
  if (session.userId === undefined) redirect("/");
  if (!session.isFresh(FRESH)) {
    return (
      <main>
        <h1>Confirm it is you</h1>
        <Notice code={(await searchParams).notice} />
        <form action={confirmPassword} data-testid="step-up-form">
          <input
            name="password"
            type="password"
            placeholder="password"
            autoComplete="current-password"
          />
          <button type="submit">Confirm</button>
        </form>
      </main>
    );
  }
  return (
    <main data-testid="step-up-ok">
      <h1>Sensitive settings</h1>
      <p>You signed in {Math.round((Date.now() - (session.authTime ?? 0)) / 1000)} s ago.</p>
    </main>
  );
}
