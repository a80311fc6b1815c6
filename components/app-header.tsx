import { signOutAction, signOutEverywhereAction } from "@/app/signout-action";
import { Suspense } from "react";
import { SearchBox } from "@/components/notes/search-box";
import { Logo } from "@/components/ui/logo";

/** The bar above every signed-in page: the product, the search, who is signed in and the way out. */
export function AppHeader({ email, query }: { email: string; query?: string }) {
  return (
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
        <div className="ml-auto flex items-center gap-3 sm:ml-0">
          <span className="hidden max-w-48 truncate text-sm text-stone-600 md:inline dark:text-stone-400" title={email}>
            {email}
          </span>
          <form action={signOutAction}>
            <button type="submit" className="btn-secondary">
              Sign out
            </button>
          </form>
          <form action={signOutEverywhereAction}>
            <button
              type="submit"
              className="text-sm font-medium text-stone-600 underline-offset-2 hover:underline dark:text-stone-400"
              title="Ends your sessions on every device and your API tokens"
            >
              Sign out everywhere
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
