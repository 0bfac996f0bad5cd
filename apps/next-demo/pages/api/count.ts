import { withApiSession } from "@tessera/next/pages";
import { sessions } from "@/lib/session";

/**
 * A Pages Router API route on the same manager as the App Router pages: it
 * reads and changes the very session the home page shows. POST adds one.
 */
export default withApiSession(sessions, (req, res, session) => {
  if (req.method === "POST") {
    // A state change from the browser's own page only: SameSite=Lax already
    // keeps the cookie off cross-site POSTs, this refuses the rest (OWASP CSRF
    // cheat sheet, Fetch Metadata).
    if (req.headers["sec-fetch-site"] !== "same-origin") {
      res.status(403).json({ error: "cross-site request refused" });
      return;
    }
    session.set("count", (session.get("count") ?? 0) + 1);
  }
  res.json({ user: session.userId ?? null, count: session.get("count") ?? 0 });
});
