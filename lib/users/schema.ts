import { z } from "zod";

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

export type Registration = z.infer<typeof registrationSchema>;
export type Credentials = z.infer<typeof credentialsSchema>;

/** POST /login: OAuth2PasswordRequestForm's `username` (an email here), or `email` from JSON clients. */
export const loginRequestSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null) return raw;
    const body = raw as Record<string, unknown>;
    return { ...body, username: body.username ?? body.email };
  },
  z.object({
    username: credentialsSchema.shape.email,
    password: credentialsSchema.shape.password,
  }),
);

/** The sign-up form's message for an email already registered (the form adds a "Sign in instead?" link). */
export const EMAIL_IN_USE_MESSAGE = "An account with this email already exists.";
