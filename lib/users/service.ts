import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordLoginSuccess, reserveLoginAttempt } from "@/lib/auth/login-limiter";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { badRequest, unauthorized } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import type { Credentials, Registration } from "@/lib/users/schema";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
}

const publicFields = { id: true, email: true, name: true } as const;

export const EMAIL_TAKEN = "Email already registered";
export const INVALID_CREDENTIALS = "Invalid email or password";

export async function registerUser({ email, password }: Registration): Promise<PublicUser> {
  const passwordHash = await hashPassword(password);
  try {
    return await db().user.create({ data: { email, passwordHash }, select: publicFields });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw badRequest(EMAIL_TAKEN); // 400, as the original answered
    }
    throw error;
  }
}

/**
 * Checks an email and password for both the REST login and the browser sign-in. Unknown email and wrong
 * password give the same error after the same work; failures count against the account and the IP.
 */
export async function authenticate({ email, password }: Credentials, ip: string): Promise<PublicUser> {
  const keys = { email, ip };
  // The attempt counts as a failure until it has succeeded (see reserveLoginAttempt).
  await reserveLoginAttempt(keys);
  // PostgreSQL text cannot hold NUL, so no account has such an email (and the query would fail: a 500).
  const user = email.includes("\u0000")
    ? null
    : await db().user.findUnique({ where: { email }, select: { ...publicFields, passwordHash: true } });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    metrics().loginFailures.inc();
    throw unauthorized(INVALID_CREDENTIALS);
  }
  await recordLoginSuccess(keys);
  return { id: user.id, email: user.email, name: user.name };
}

export function findUserById(id: string): Promise<PublicUser | null> {
  return db().user.findUnique({ where: { id }, select: publicFields });
}
