import { z } from "zod";

/** The user contract: registration and sign-in input, and a user as the domain hands it out. */

/** Emails compare case-insensitively: stored trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long")
  .pipe(z.email("Enter a valid email address"));

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => p.trim().length > 0, "Password cannot be only spaces");

export const registrationSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
});

/**
 * Sign-in input. Deliberately lenient: a malformed email or an old password that predates the policy must
 * read as "Invalid email or password" (401), never as a validation error that tells an attacker more.
 */
export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Field required").max(320, "Email is too long"),
  password: z.string().min(1, "Field required").max(1024, "Password is too long"),
});

/** The browser's sign-in form: both fields filled in (whether they are right is for sign-in to judge). */
export const signInFormSchema = z.object({
  email: z.string().trim().min(1, "Enter your email"),
  password: z.string().min(1, "Enter your password"),
});

/** The browser's sign-up form asks for the password twice. */
export const passwordConfirmationSchema = z
  .object({ password: z.string(), confirm: z.string() })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The passwords do not match" });

/** A user as others may see it (never the password hash or the session version). */
export const publicUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });

export type Registration = z.infer<typeof registrationSchema>;
export type Credentials = z.infer<typeof credentialsSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
