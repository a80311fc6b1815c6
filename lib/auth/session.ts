import "server-only";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/authjs";
import { activeSessionUser } from "@/lib/auth/session-state";
import { safeReturnPath } from "@/lib/http/return-path";
import { setRequestUser } from "@/lib/request-context";
import type { PublicUser } from "@/lib/users/service";

/**
 * The signed-in user of a browser request, or null. A session that was signed out, or whose account was
 * disabled, deleted or signed out everywhere, counts as none. Throws when the database cannot be asked.
 */
export async function currentUser(): Promise<PublicUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await activeSessionUser({ sub: id, sid: session.sid, sv: session.sv });
  if (user) setRequestUser(user.id);
  return user;
}

/** For private pages and server actions: the user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo = "/"): Promise<PublicUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}
