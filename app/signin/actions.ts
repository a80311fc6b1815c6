"use server";

import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { formField, signInError } from "@/lib/actions/result";
import type { ActionState } from "@/lib/actions/state";

/** Posts the sign-in form (works without JavaScript); on success Auth.js sets the cookie and redirects back. */
export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const email = formField(form, "email").trim();
  const password = formField(form, "password");
  const values = { email };
  const fieldErrors: Record<string, string> = {};
  if (!email) fieldErrors.email = "Enter your email";
  if (!password) fieldErrors.password = "Enter your password";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, values };

  try {
    await signIn("credentials", { email, password, redirectTo: afterSignInPath(formField(form, "callbackUrl")) });
    return { ok: true };
  } catch (error) {
    return signInError(error, values);
  }
}
