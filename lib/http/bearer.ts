import "server-only";
import { verifyAccessToken } from "@/lib/auth/api-token";
import { checkPersonalToken, isPersonalToken, tokenDisplayPrefix } from "@/lib/auth/personal-tokens";
import { activeTokenUser } from "@/lib/auth/session-state";
import { recordTokenFailure } from "@/lib/auth/token-limiter";
import { forbidden, unauthorized } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";
import { logger } from "@/lib/log";
import { setRequestUser } from "@/lib/request-context";
import type { PublicUser } from "@/lib/users/service";

/**
 * What a route needs of its caller: "read" and "write" accept a password-login JWT or a personal access token
 * of that scope (write includes read); "account" (managing tokens) only a JWT, so that a leaked token cannot
 * mint more. Routes declare it; left out, it follows the method (GET/HEAD read, anything else write).
 */
export type ApiAccess = "read" | "write" | "account";

const EXPIRED = "Token has expired";
const INVALID = "Could not validate credentials";

/**
 * The user behind `Authorization: Bearer <token>`, with FastAPI's answers: no or non-bearer header →
 * "Not authenticated"; bad, expired or orphaned token → "Could not validate credentials" or "Token has
 * expired" (401 + WWW-Authenticate: Bearer, added by the error mapping); a token without the scope → 403.
 */
export async function requireApiUser(request: Request, access?: ApiAccess): Promise<PublicUser> {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header) : null;
  if (!match) throw unauthorized("Not authenticated");
  const token = match[1]!;
  const needs = access ?? (request.method === "GET" || request.method === "HEAD" ? "read" : "write");
  const user = isPersonalToken(token) ? await personalTokenUser(token, needs) : await jwtUser(token);
  setRequestUser(user.id);
  return user;
}

async function jwtUser(token: string): Promise<PublicUser> {
  const check = await verifyAccessToken(token);
  if (!check.ok) throw unauthorized(check.reason === "expired" ? EXPIRED : INVALID);
  // The token is only as good as its user: a deleted or disabled account's tokens, and tokens issued before
  // "sign out everywhere", stop working at once.
  const user = await activeTokenUser(check.userId, check.sessionVersion);
  if (!user) throw unauthorized(INVALID);
  return user;
}

async function personalTokenUser(token: string, needs: ApiAccess): Promise<PublicUser> {
  const check = await checkPersonalToken(token);
  if (!check.ok) {
    // The audit trail names the token by its prefix only, never the secret.
    logger.warn(
      { tokenPrefix: tokenDisplayPrefix(token), reason: check.reason, ip: clientIp() },
      "personal access token refused",
    );
    await recordTokenFailure(clientIp());
    throw unauthorized(check.reason === "expired" ? EXPIRED : INVALID);
  }
  if (needs === "account") throw forbidden("Personal access tokens cannot manage tokens; log in with a password");
  if (needs === "write" && check.scope !== "write") throw forbidden("This token is read-only");
  return check.user;
}
