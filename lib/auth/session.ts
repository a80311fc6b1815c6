import "server-only";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/authjs";
import { setRequestUser } from "@/lib/request-context";
import { findUserById, type PublicUser } from "@/lib/users/service";

/** The signed-in user of a browser request, or null. A session of a deleted account counts as none. */
export async function currentUser(): Promise<PublicUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await findUserById(id);
  if (user) setRequestUser(user.id);
  return user;
}

/** For private pages and server actions: the user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo = "/"): Promise<PublicUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo))}`);
  return user;
}

/** Only same-site paths: an attacker-supplied callbackUrl must never send the user elsewhere. */
export function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== "string" || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\")) {
    return "/";
  }
  return candidate;
}
