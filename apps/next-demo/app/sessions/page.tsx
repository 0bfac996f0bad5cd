import { redirect } from "next/navigation";
import { getSession, sessions } from "@/lib/session";
import { revoke, signOutOthers } from "../actions";
import { Notice } from "../notice";

export const dynamic = "force-dynamic";

export default async function YourSessions({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getSession();
  if (session.userId === undefined) redirect("/");
  const rows = await sessions.listUserSessions(session.userId);
  return (
    <main>
      <h1>Your sessions</h1>
      <Notice code={(await searchParams).notice} />
      <ul data-testid="sessions">
        {rows.map((row) => (
          <li key={row.id} data-testid="session-row" data-current={row.id === session.id}>
            <code>{row.id.slice(0, 8)}</code> {row.userAgent ?? "unknown browser"}, last seen{" "}
            {new Date(row.lastSeenAt).toISOString()}
            {row.id === session.id ? (
              <strong> (this browser)</strong>
            ) : (
              <form action={revoke} style={{ display: "inline" }}>
                <input type="hidden" name="id" value={row.id} />
                <button type="submit" data-testid="revoke">
                  Revoke
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form action={signOutOthers}>
        <button type="submit" data-testid="sign-out-others">
          Sign out everywhere else
        </button>
      </form>
    </main>
  );
}
