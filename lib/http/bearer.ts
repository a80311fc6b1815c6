import "server-only";
import { verifyAccessToken } from "@/lib/auth/api-token";
import { activeTokenUser } from "@/lib/auth/session-state";
import { unauthorized } from "@/lib/errors";
import { setRequestUser } from "@/lib/request-context";
import type { PublicUser } from "@/lib/users/service";

/**
 * The user behind `Authorization: Bearer <JWT>`, with FastAPI's answers: no or non-bearer header →
 * "Not authenticated"; bad, expired or orphaned token → "Could not validate credentials" (401 +
 * WWW-Authenticate: Bearer, added by the error mapping).
 */
export async function requireApiUser(request: Request): Promise<PublicUser> {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header) : null;
  if (!match) throw unauthorized("Not authenticated");
  const check = await verifyAccessToken(match[1]!);
  if (!check.ok)
    throw unauthorized(check.reason === "expired" ? "Token has expired" : "Could not validate credentials");
  // The token is only as good as its user: a deleted or disabled account's tokens, and tokens issued before
  // "sign out everywhere", stop working at once.
  const user = await activeTokenUser(check.userId, check.sessionVersion);
  if (!user) throw unauthorized("Could not validate credentials");
  setRequestUser(user.id);
  return user;
}
