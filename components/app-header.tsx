import Link from "next/link";
import { signOutAction, signOutEverywhereAction } from "@/app/signout-action";
import { Suspense } from "react";
import { SearchBox } from "@/components/notes/search-box";
import { UndoToast } from "@/components/undo/undo-toast";
import { Logo } from "@/components/ui/logo";

/**
 * The bar above every signed-in page: the product, the search, and an account menu (who is signed in, the ways
 * out; a plain <details>, so it works without JavaScript). It also holds the undo toast of deletions.
 */
export function AppHeader({ email, query }: { email: string; query?: string }) {
  return (
    <>
      <header className="sticky top-0 z-10 border-b border-stone-200 bg-stone-50/90 backdrop-blur dark:border-stone-800 dark:bg-stone-950/90">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Logo />
          <form role="search" action="/" method="get" className="order-last w-full sm:order-none sm:w-auto sm:flex-1">
            <label htmlFor="search" className="sr-only">
              Search notes
            </label>
            <div className="relative">
              <svg
                viewBox="0 0 20 20"
                className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-stone-400"
                fill="currentColor"
                aria-hidden="true"
              >
                <path
                  fillRule="evenodd"
                  d="M9 3.5a5.5 5.5 0 1 0 3.4 9.83l3.63 3.64a.75.75 0 1 0 1.06-1.06l-3.64-3.63A5.5 5.5 0 0 0 9 3.5ZM5 9a4 4 0 1 1 8 0 4 4 0 0 1-8 0Z"
                  clipRule="evenodd"
                />
              </svg>
              <Suspense
                fallback={<input id="search" name="q" type="search" defaultValue={query} className="field pl-9" />}
              >
                <SearchBox defaultValue={query} />
              </Suspense>
            </div>
          </form>
          <details className="group relative ml-auto sm:ml-0">
            <summary className="btn-secondary cursor-pointer list-none [&::-webkit-details-marker]:hidden">
              Account
              <svg
                viewBox="0 0 20 20"
                className="size-4 transition group-open:rotate-180"
                fill="currentColor"
                aria-hidden="true"
              >
                <path d="M5.2 7.7a.75.75 0 0 1 1.06.04L10 11.6l3.74-3.86a.75.75 0 1 1 1.08 1.04l-4.28 4.42a.75.75 0 0 1-1.08 0L5.18 8.78a.75.75 0 0 1 .02-1.08Z" />
              </svg>
            </summary>
            <div className="absolute right-0 z-20 mt-2 w-64 space-y-3 rounded-lg border border-stone-200 bg-white p-3 shadow-lg dark:border-stone-700 dark:bg-stone-900">
              <p className="truncate text-sm text-stone-600 dark:text-stone-400" title={email}>
                Signed in as <span className="font-medium text-stone-900 dark:text-stone-100">{email}</span>
              </p>
              <Link href="/settings/tokens" className="btn-ghost w-full text-sm">
                Access tokens
              </Link>
              <Link href="/settings/export" className="btn-ghost w-full text-sm">
                Export all notes
              </Link>
              <Link href="/settings/import" className="btn-ghost w-full text-sm">
                Import notes
              </Link>
              <form action={signOutAction}>
                <button type="submit" className="btn-secondary w-full">
                  Sign out
                </button>
              </form>
              <form action={signOutEverywhereAction}>
                <button type="submit" className="btn-ghost w-full text-sm">
                  Sign out everywhere
                </button>
                <p className="mt-1 text-xs text-stone-500 dark:text-stone-400">
                  Ends your sessions on every device and your API tokens.
                </p>
              </form>
            </div>
          </details>
        </div>
      </header>
      <UndoToast />
    </>
  );
}
