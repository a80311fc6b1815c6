"use server";

import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { type ActionState, actionError, formField } from "@/lib/actions/result";
import { passwordConfirmationSchema, registrationSchema } from "@/lib/users/schema";
import { registerUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

/** Creates the account with the API's rules (same schema, same hashing), then signs the new user in. */
export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const raw = { email: formField(form, "email"), password: formField(form, "password") };
  const values = { email: raw.email };
  try {
    parseInput(passwordConfirmationSchema, { password: raw.password, confirm: formField(form, "confirm") });
    const input = parseInput(registrationSchema, raw);
    await registerUser(input);
  } catch (error) {
    return actionError(error, values);
  }
  await signIn("credentials", {
    email: raw.email,
    password: raw.password,
    redirectTo: afterSignInPath(formField(form, "callbackUrl")),
  });
  return { ok: true };
}
