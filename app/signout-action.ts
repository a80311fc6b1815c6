"use server";

import { signOut } from "@/lib/auth/authjs";

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin?signedOut=1" });
}
