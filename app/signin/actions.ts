"use server";

import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { actionError, formField, signInError } from "@/lib/actions/result";
import { signInFormSchema } from "@/lib/users/schema";
import { parseInput } from "@/lib/validation";
import type { ActionState } from "@/lib/actions/state";

/** Posts the sign-in form (works without JavaScript); on success Auth.js sets the cookie and redirects back. */
export async function signInAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const raw = { email: formField(form, "email"), password: formField(form, "password") };
  const values = { email: raw.email.trim() };
  let email, password;
  try {
    ({ email, password } = parseInput(signInFormSchema, raw));
  } catch (error) {
    return actionError(error, values);
  }
  try {
    await signIn("credentials", { email, password, redirectTo: afterSignInPath(formField(form, "callbackUrl")) });
    return { ok: true };
  } catch (error) {
    return signInError(error, values);
  }
}
