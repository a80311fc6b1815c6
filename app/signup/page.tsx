import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { currentUser } from "@/lib/auth/session";
import { afterSignInPath } from "@/lib/http/return-path";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/users/schema";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account · CloudNotes" };

export default async function SignUpPage({ searchParams }: PageProps<"/signup">) {
  const callbackUrl = afterSignInPath((await searchParams).callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <AuthShell
      title="Create your account"
      subtitle="Notes and files, on a server you trust."
      footer={
        <>
          Already have an account?{" "}
          <Link
            className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
            href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} passwordMin={PASSWORD_MIN} passwordMax={PASSWORD_MAX} />
    </AuthShell>
  );
}
