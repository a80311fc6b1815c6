import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordLoginSuccess, reserveLoginAttempt } from "@/lib/auth/login-limiter";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
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

/**
 * Asked by every authenticated request (bearer token or browser session), so it is one prepared statement on
 * the shared pool rather than a Prisma query: the ORM's query building and result mapping cost more CPU than
 * the primary-key lookup itself (see bench/RESULTS.md). Not cached: a deleted account must stop working at
 * once on every instance.
 */
export async function findUserById(id: string): Promise<PublicUser | null> {
  const { rows } = await pool().query<PublicUser>({
    name: "find_user_by_id",
    text: "SELECT id, email, name FROM users WHERE id = $1",
    values: [id],
  });
  return rows[0] ?? null;
}
