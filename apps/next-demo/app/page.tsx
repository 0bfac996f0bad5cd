import { getSession } from "@/lib/session";
import { increment, signIn, signOut } from "./actions";
import { Notice } from "./notice";

export const dynamic = "force-dynamic";

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await getSession();
  return (
    <main>
      <h1>Tessera on Next.js</h1>
      <Notice code={(await searchParams).notice} />
      <p>
        Session id: <code data-testid="session-id">{session.id ?? "none"}</code>
        {session.rejected === undefined ? null : (
          <span data-testid="rejected"> (cookie refused: {session.rejected})</span>
        )}
      </p>
      <p>
        Counter: <strong data-testid="counter">{session.get("count") ?? 0}</strong>
      </p>
      <form action={increment}>
        <button type="submit" data-testid="increment">
          Add one
        </button>
      </form>
      {session.userId === undefined ? (
        <form action={signIn} data-testid="signed-out">
          <h2>Sign in</h2>
          <input name="username" placeholder="name" autoComplete="username" />
          <input
            name="password"
            type="password"
            placeholder="password"
            autoComplete="current-password"
          />
          <button type="submit">Sign in</button>
        </form>
      ) : (
        <section data-testid="signed-in">
          <p>
            Signed in as <strong data-testid="user">{session.userId}</strong> since{" "}
            {new Date(session.createdAt).toISOString()}.
          </p>
          <form action={signOut}>
            <button type="submit" data-testid="sign-out">
              Sign out
            </button>
          </form>
        </section>
      )}
    </main>
  );
}
