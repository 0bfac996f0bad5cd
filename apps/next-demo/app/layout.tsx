import type { ReactNode } from "react";

export const metadata = { title: "Tessera on Next.js" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "2rem auto" }}>
        <nav style={{ display: "flex", gap: "1rem" }}>
          <a href="/">Home</a>
          <a href="/sessions">Your sessions</a>
          <a href="/step-up">Step-up</a>
        </nav>
        {children}
      </body>
    </html>
  );
}
