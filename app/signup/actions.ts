"use server";

import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { type ActionState, actionError, formField } from "@/lib/actions/result";
import { EMAIL_IN_USE_MESSAGE, registrationSchema } from "@/lib/users/schema";
import { EMAIL_TAKEN, registerUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

const PASSWORDS_DIFFER = "The passwords do not match";

/** Creates the account with the API's rules (same schema, same hashing), then signs the new user in. */
export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const raw = { email: formField(form, "email"), password: formField(form, "password") };
  const values = { email: raw.email };
  // Every problem at once: the fields' own, and a confirmation that does not match.
  const mismatch = raw.password !== formField(form, "confirm");
  try {
    const input = parseInput(registrationSchema, raw, "body");
    if (mismatch) return { ok: false, fieldErrors: { confirm: PASSWORDS_DIFFER }, values };
    await registerUser(input);
  } catch (error) {
    const state = actionError(error, values);
    if (state.message === EMAIL_TAKEN) {
      return { ok: false, fieldErrors: { email: EMAIL_IN_USE_MESSAGE }, values };
    }
    if (mismatch) return { ...state, fieldErrors: { ...state.fieldErrors, confirm: PASSWORDS_DIFFER } };
    return state;
  }
  await signIn("credentials", {
    email: raw.email,
    password: raw.password,
    redirectTo: afterSignInPath(formField(form, "callbackUrl")),
  });
  return { ok: true };
}
