"use server";

import { signIn } from "@/lib/auth/authjs";
import { afterSignInPath } from "@/lib/http/return-path";
import { type ActionState, actionError, formField } from "@/lib/actions/result";
import { passwordConfirmationSchema, registrationSchema } from "@/lib/users/schema";
import { registerUser } from "@/lib/users/service";
import { issuesFromZod, validationError } from "@/lib/errors";

/** Creates the account with the API's rules (same schema, same hashing), then signs the new user in. */
export async function signUpAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const raw = { email: formField(form, "email"), password: formField(form, "password") };
  const values = { email: raw.email };
  try {
    // Every problem at once: the fields' own and a confirmation that does not match.
    const confirmation = passwordConfirmationSchema.safeParse({
      password: raw.password,
      confirm: formField(form, "confirm"),
    });
    const registration = registrationSchema.safeParse(raw, { reportInput: true });
    const issues = [confirmation, registration].flatMap((r) => (r.success ? [] : issuesFromZod(r.error)));
    if (issues.length > 0 || !registration.success) throw validationError(issues);
    await registerUser(registration.data);
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
