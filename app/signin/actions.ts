"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { formField } from "@/lib/actions/result";
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
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === "rate_limited") {
        return { ok: false, message: "Too many failed attempts. Wait a few minutes and try again.", values };
      }
      if (code === "disabled") return { ok: false, message: "This account is disabled.", values };
      if (error.type === "CredentialsSignin") return { ok: false, message: "Invalid email or password.", values };
      return { ok: false, message: "Sign-in is unavailable right now. Try again shortly.", values };
    }
    throw error; // the redirect that completes a successful sign-in
  }
}
