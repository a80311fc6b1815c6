import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { Landing } from "@/components/landing";
import { NewNoteForm } from "@/components/notes/new-note-form";
import { NoteList } from "@/components/notes/note-list";
import { currentUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { listQuerySchema, NOTES_PAGE_MAX_BYTES } from "@/lib/notes/schema";
import { listNotes } from "@/lib/notes/service";
import { uploadLimits } from "@/lib/notes/upload-limits";
import { toNoteView } from "@/lib/notes/view";

export const metadata: Metadata = { title: "Notes · CloudNotes" };

const PAGE_SIZE = 20;

/** The signed-in user's notes, newest first, searchable (?q=) and paged (?cursor=); a landing page otherwise. */
export default async function HomePage({ searchParams }: PageProps<"/">) {
  const user = await currentUser();
  if (!user) return <Landing />;

  const params = await searchParams;
  const parsed = listQuerySchema.safeParse({ q: first(params.q), cursor: first(params.cursor), limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE, sort: "newest" as const };
  let page;
  let problem: string | undefined;
  try {
    page = await listNotes(user.id, query, { maxBytes: NOTES_PAGE_MAX_BYTES });
  } catch (error) {
    // A stale or hand-edited cursor: show the first page rather than an error page.
    if (asDomainError(error)?.kind !== "validation") throw error;
    problem = "That page link is no longer valid; showing your newest notes.";
    page = await listNotes(user.id, { ...query, cursor: undefined }, { maxBytes: NOTES_PAGE_MAX_BYTES });
  }
  const notes = await Promise.all(page.notes.map(toNoteView));
  const limits = uploadLimits();
  const q = query.q || undefined;
  const isFirstPage = !query.cursor || !!problem;

  return (
    <>
      <AppHeader email={user.email} query={q} />
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:py-8">
        {problem ? (
          <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
            {problem}
          </p>
        ) : null}
        {!q && isFirstPage ? <NewNoteForm limits={limits} /> : null}
        <section aria-labelledby="notes-heading" className="space-y-4">
          <div className="flex items-baseline justify-between gap-3">
            <h1 id="notes-heading" className="text-xl font-semibold tracking-tight">
              {q ? <>Results for “{q}”</> : "Your notes"}
            </h1>
            {q || !isFirstPage ? (
              <Link href="/" className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
                {q ? "Clear search" : "Newest notes"}
              </Link>
            ) : null}
          </div>
          {notes.length === 0 ? <EmptyState searching={!!q} /> : <NoteList notes={notes} limits={limits} />}
          {page.nextCursor ? (
            <nav aria-label="More notes" className="flex justify-center pt-2">
              <Link
                className="btn-secondary"
                href={`/?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}`}
              >
                Older notes
              </Link>
            </nav>
          ) : null}
        </section>
      </main>
    </>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function EmptyState({ searching }: { searching: boolean }) {
  return (
    <div className="card flex flex-col items-center px-6 py-12 text-center">
      <svg
        viewBox="0 0 24 24"
        className="size-10 text-stone-400"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        aria-hidden="true"
      >
        <path d="M7 3h7l5 5v11a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" />
        <path d="M14 3v5h5M9 13h6M9 17h4" />
      </svg>
      {searching ? (
        <>
          <p className="mt-3 font-medium">No notes match this search.</p>
          <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">Try other words, or fewer of them.</p>
        </>
      ) : (
        <>
          <p className="mt-3 font-medium">No notes yet.</p>
          <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">
            Write your first one above: give it a title, and attach a file if you like.
          </p>
        </>
      )}
    </div>
  );
}
