"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { checkPassword, sessions, withSession } from "@/lib/session";

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

export async function signIn(form: FormData): Promise<void> {
  const username = field(form, "username");
  const password = field(form, "password");
  await withSession(async (session) => {
    if (!/^[a-z0-9-]{1,40}$/.test(username) || password.length < 8) {
      redirect("/?notice=invalid");
    }
    if (!checkPassword(username, password)) redirect("/?notice=wrong-password");
    // A new id at sign-in: a cookie planted before it names nothing afterwards.
    await session.login(username, { carryOver: ["count"] });
    redirect("/?notice=signed-in");
  });
}

export async function increment(): Promise<void> {
  await withSession((session) => {
    session.set("count", (session.get("count") ?? 0) + 1);
  });
  // Next.js re-renders after an action only when it set a cookie; a change
  // stored under the same cookie needs asking for.
  refresh();
}

export async function signOut(): Promise<void> {
  await withSession(async (session) => {
    await session.logout();
    redirect("/");
  });
}

export async function revoke(form: FormData): Promise<void> {
  const id = field(form, "id");
  await withSession(async (session) => {
    if (session.userId === undefined) redirect("/");
    await sessions.revokeUserSession(session.userId, id);
    redirect("/sessions?notice=revoked");
  });
}

export async function signOutOthers(): Promise<void> {
  await withSession(async (session) => {
    if (session.userId === undefined) redirect("/");
    await sessions.revokeUser(session.userId, { except: session });
    redirect("/sessions?notice=others-signed-out");
  });
}

export async function confirmPassword(form: FormData): Promise<void> {
  await withSession(async (session) => {
    const userId = session.userId;
    if (userId === undefined) redirect("/");
    if (!checkPassword(userId, field(form, "password"))) redirect("/step-up?notice=wrong-password");
    // Same user again: a fresh authentication time, the data kept.
    await session.login(userId);
    redirect("/step-up");
  });
}
