import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { currentUser } from "@/lib/auth/session";
import { afterSignInPath } from "@/lib/http/return-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · CloudNotes" };

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const params = await searchParams;
  const callbackUrl = afterSignInPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const notice =
    params.signedOut !== undefined ? "You are signed out." : callbackUrl !== "/" ? "Sign in to continue." : undefined;
  return (
    <AuthShell
      title="Welcome back"
      subtitle="Sign in to your notes."
      footer={
        <>
          New to CloudNotes?{" "}
          <Link
            className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
            href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          >
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} notice={notice} />
    </AuthShell>
  );
}
