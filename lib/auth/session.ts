import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { sessionClaims } from "@/lib/auth/session-cookie";
import { activeSessionUser } from "@/lib/auth/session-state";
import { safeReturnPath } from "@/lib/http/return-path";
import { setRequestUser } from "@/lib/request-context";
import type { PublicUser } from "@/lib/users/service";

/**
 * The signed-in user of a browser request, or null. A session that was signed out, or whose account was
 * disabled, deleted or signed out everywhere, counts as none. Throws when the database cannot be asked.
 * Asked once per render (React cache), however many components of the page need it.
 */
export const currentUser = cache(async (): Promise<PublicUser | null> => {
  const claims = await sessionClaims((await headers()).get("cookie"));
  if (!claims?.sub) return null;
  const user = await activeSessionUser(claims);
  if (user) setRequestUser(user.id);
  return user;
});

/** For private pages and server actions: the user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo = "/"): Promise<PublicUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}
