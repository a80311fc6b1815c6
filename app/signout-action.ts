"use server";

import { signOut } from "@/lib/auth/authjs";
import { endAllSessions } from "@/lib/auth/revocation";
import { requireUser } from "@/lib/auth/session";

/** Ends this browser's session (on the server too, see the signOut event in lib/auth/authjs.ts). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin?signedOut=1" });
}

/** Ends every session and API token of the user, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireUser();
  await endAllSessions(user.id);
  await signOut({ redirectTo: "/signin?signedOut=1" });
}
