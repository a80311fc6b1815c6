import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordLoginSuccess, reserveLoginAttempt } from "@/lib/auth/login-limiter";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { badRequest, forbidden, unauthorized } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import type { Credentials, PublicUser, Registration } from "@/lib/users/schema";

export type { PublicUser };

/** A user as sign-in finds them: the session version goes into the session or token it issues. */
export interface AuthenticatedUser extends PublicUser {
  sessionVersion: number;
}

const publicFields = { id: true, email: true, name: true } as const;

export const EMAIL_TAKEN = "Email already registered";
export const INVALID_CREDENTIALS = "Invalid email or password";
export const ACCOUNT_DISABLED = "Account disabled";

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
 * password give the same error after the same work; failures count against the account and the IP. A disabled
 * account is told so (403) only once the password was right.
 */
export async function authenticate({ email, password }: Credentials, ip: string): Promise<AuthenticatedUser> {
  const keys = { email, ip };
  // The attempt counts as a failure until it has succeeded (see reserveLoginAttempt).
  await reserveLoginAttempt(keys);
  // PostgreSQL text cannot hold NUL, so no account has such an email (and the query would fail: a 500).
  const user = email.includes("\u0000")
    ? null
    : await db().user.findUnique({
        where: { email },
        select: { ...publicFields, passwordHash: true, sessionVersion: true, disabledAt: true },
      });
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : await verifyAgainstDummy(password);
  if (!user || !ok) {
    metrics().loginFailures.inc();
    throw unauthorized(INVALID_CREDENTIALS);
  }
  await recordLoginSuccess(keys);
  if (user.disabledAt) throw forbidden(ACCOUNT_DISABLED);
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

/** What decides whether a session or token of the user still works; null when the account is gone. */
export interface AccountState {
  user: PublicUser;
  sessionVersion: number;
  disabled: boolean;
  /** The browser session `sessionId` was signed out (false when none is asked about). */
  sessionRevoked: boolean;
}

/**
 * Asked by every authenticated request (bearer token or browser session), so it is one prepared statement on
 * the shared pool rather than a Prisma query: the ORM's query building and result mapping cost more CPU than
 * the primary-key lookups themselves (see bench/RESULTS.md).
 */
export async function findAccountState(userId: string, sessionId: string | null): Promise<AccountState | null> {
  const columns = "u.id, u.email, u.name, u.session_version, u.disabled_at IS NOT NULL AS disabled";
  // An API token has no session to look up in revoked_sessions.
  const { rows } = await pool().query<PublicUser & { session_version: number; disabled: boolean; revoked: boolean }>(
    sessionId === null
      ? {
          name: "find_account_state",
          text: `SELECT ${columns}, false AS revoked FROM users u WHERE u.id = $1`,
          values: [userId],
        }
      : {
          name: "find_session_account_state",
          text: `SELECT ${columns}, EXISTS (SELECT 1 FROM revoked_sessions r WHERE r.id = $2) AS revoked
                   FROM users u WHERE u.id = $1`,
          values: [userId, sessionId],
        },
  );
  const row = rows[0];
  if (!row) return null;
  return {
    user: { id: row.id, email: row.email, name: row.name },
    sessionVersion: row.session_version,
    disabled: row.disabled,
    sessionRevoked: row.revoked,
  };
}

/** Ends every session and API token of the user ("sign out everywhere"): they carry the old version. */
export async function bumpSessionVersion(userId: string): Promise<void> {
  await pool().query({
    name: "bump_session_version",
    text: "UPDATE users SET session_version = session_version + 1, updated_at = now() WHERE id = $1",
    values: [userId],
  });
}

/**
 * Records a signed-out browser session until `keepSeconds` from now (when every copy of its cookie would have
 * expired), and drops the records past that point. Nothing is recorded for an account that no longer exists.
 */
export async function recordRevokedSession(userId: string, sessionId: string, keepSeconds: number): Promise<void> {
  await pool().query({
    name: "record_revoked_session",
    text: `WITH expired AS (DELETE FROM revoked_sessions WHERE expires_at < now())
           INSERT INTO revoked_sessions (id, user_id, expires_at)
           SELECT $1, id, now() + $3 * interval '1 second' FROM users WHERE id = $2
           ON CONFLICT (id) DO NOTHING`,
    values: [sessionId, userId, keepSeconds],
  });
}
