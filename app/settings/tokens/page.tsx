import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { NewTokenForm } from "@/components/settings/new-token-form";
import { TokenList } from "@/components/settings/token-list";
import { listPersonalTokens } from "@/lib/auth/personal-tokens";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Access tokens · CloudNotes" };

/** Personal access tokens: create one for a program that uses the REST API, see when each was used, revoke. */
export default async function TokensPage() {
  const user = await requireUser("/settings/tokens");
  const tokens = await listPersonalTokens(user.id);
  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:py-8">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight">Access tokens</h1>
          <p className="text-sm text-stone-600 dark:text-stone-400">
            A program that uses the REST API sends a token as <code>Authorization: Bearer &lt;token&gt;</code> instead
            of your password. Revoking one ends it at once; &ldquo;Sign out everywhere&rdquo; ends them all.
          </p>
        </div>
        <NewTokenForm />
        <TokenList tokens={tokens} />
      </main>
    </>
  );
}
