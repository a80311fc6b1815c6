import Link from "next/link";
import { Logo } from "@/components/ui/logo";

/** What a signed-out visitor of / sees. */
export function Landing() {
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-4">
      <header className="flex items-center justify-between py-5">
        <Logo />
        <nav className="flex gap-2" aria-label="Account">
          <Link href="/signin" className="btn-ghost">
            Sign in
          </Link>
          <Link href="/signup" className="btn-primary">
            Create account
          </Link>
        </nav>
      </header>
      <main id="main" className="flex flex-1 flex-col justify-center py-16">
        <h1 className="max-w-xl text-4xl font-semibold tracking-tight sm:text-5xl">
          Your notes and files, on a server you run.
        </h1>
        <p className="mt-4 max-w-xl text-lg text-stone-600 dark:text-stone-400">
          Write in Markdown, attach images and documents, find anything with full-text search. Private by default; your
          files stay in your own bucket.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/signup" className="btn-primary px-5 py-2.5 text-base">
            Get started
          </Link>
          <Link href="/docs" className="btn-secondary px-5 py-2.5 text-base">
            API reference
          </Link>
        </div>
      </main>
      <footer className="py-6 text-sm text-stone-500 dark:text-stone-400">CloudNotes — self-hostable notes.</footer>
    </div>
  );
}
