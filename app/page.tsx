import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { Landing } from "@/components/landing";
import { Composer, type SharedNote } from "@/components/notes/composer";
import { DraftScope } from "@/components/notes/drafts";
import { NoteList } from "@/components/notes/note-list";
import { SearchResults } from "@/components/notes/search-results";
import { SortNav } from "@/components/notes/sort-nav";
import { TagSidebar } from "@/components/tags/tag-list";
import { emptyTrashAction } from "@/app/organise-actions";
import { currentUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { asDomainError } from "@/lib/http/problem";
import { DESCRIPTION_MAX, listQuerySchema, NOTES_PAGE_MAX_BYTES, TITLE_MAX } from "@/lib/notes/schema";
import { parseQuery } from "@/lib/notes/query";
import { listNotes } from "@/lib/notes/service";
import { listTags } from "@/lib/notes/tag-service";
import { uploadLimits } from "@/lib/files/upload-limits";
import { listQuery } from "@/lib/notes/list-link";
import { toNoteView } from "@/lib/notes/view";
import { notesPageContext } from "@/lib/users/preferences";

export const metadata: Metadata = { title: "Notes · CloudNotes" };

const PAGE_SIZE = 20;

/**
 * The signed-in user's notes (pinned first, in the chosen ?sort=), searchable and filterable (?q=, with tag:,
 * is:, in:, has:, before:, after:) and paged (?cursor=); a landing page otherwise.
 */
export default async function HomePage({ searchParams }: PageProps<"/">) {
  const user = await currentUser();
  if (!user) return <Landing />;

  const params = await searchParams;
  const parsed = listQuerySchema.safeParse({
    q: first(params.q),
    cursor: first(params.cursor),
    sort: first(params.sort),
    limit: PAGE_SIZE,
  });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE, sort: "newest" as const };
  const options = { maxBytes: NOTES_PAGE_MAX_BYTES, archived: "exclude", highlight: true } as const;
  let page;
  let problem: string | undefined;
  const context = notesPageContext(user.id);
  context.catch(() => {}); // awaited below; a failure while the listing is awaited is not unhandled
  try {
    page = await listNotes(user.id, query, options);
  } catch (error) {
    // A stale or hand-edited cursor: show the first page rather than an error page.
    if (asDomainError(error)?.kind !== "validation") throw error;
    problem = "That page link is no longer valid; showing your newest notes.";
    page = await listNotes(user.id, { ...query, cursor: undefined }, options);
  }
  const [notes, tags, { layout, noteCount, noteCountCapped }] = await Promise.all([
    Promise.all(page.notes.map((note) => toNoteView(note, { preview: true }))),
    listTags(user.id),
    context,
  ]);
  const limits = uploadLimits();
  const q = query.q || undefined;
  const isFirstPage = !query.cursor || !!problem;
  const search = parseQuery(q ?? "");
  const inTrash = !!search.filters.trash;
  const ranked = page.total !== null;
  const fromList = listQuery({
    q,
    sort: query.sort === "newest" ? undefined : query.sort,
    cursor: problem ? undefined : query.cursor,
  });

  return (
    <>
      <AppHeader email={user.email} query={q} />
      <DraftScope user={user.id}>
        <div className="mx-auto max-w-5xl gap-8 px-4 py-6 sm:py-8 md:grid md:grid-cols-[12rem_minmax(0,1fr)]">
          <TagSidebar tags={tags} active={search.filters.tag} />
          <main id="main" className="mx-auto w-full max-w-3xl space-y-6 pb-20 sm:pb-0">
            {problem ? (
              <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
                {problem}
              </p>
            ) : null}
            {!q && isFirstPage ? <Composer limits={limits} sharedNote={sharedNote(params)} /> : null}
            <section aria-labelledby="notes-heading" className="space-y-4">
              <div className="flex flex-wrap items-baseline justify-between gap-3">
                <div className="flex items-baseline gap-3">
                  <h1 id="notes-heading" className="text-xl font-semibold tracking-tight">
                    {inTrash ? "Trash" : q ? <>Results for “{q}”</> : "Your notes"}
                  </h1>
                  {q || inTrash ? null : (
                    <p className="text-sm text-stone-500 dark:text-stone-400">
                      {noteCountCapped
                        ? `${noteCount.toLocaleString("en")}+ notes`
                        : noteCount === 1
                          ? "1 note"
                          : `${noteCount.toLocaleString("en")} notes`}
                    </p>
                  )}
                </div>
                {q || !isFirstPage ? (
                  <Link href="/" className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
                    {q ? "Clear search" : "Newest notes"}
                  </Link>
                ) : null}
              </div>
              {ranked ? (
                <p role="status" className="text-sm text-stone-600 dark:text-stone-400">
                  {page.totalCapped
                    ? `${page.total?.toLocaleString("en")}+ notes match`
                    : `${page.total?.toLocaleString("en")} ${page.total === 1 ? "note matches" : "notes match"}`}
                </p>
              ) : (
                <SortNav sort={query.sort} q={q} />
              )}
              {inTrash ? <TrashHeader count={notes.length} /> : null}
              {notes.length === 0 ? (
                <EmptyState searching={!!q} />
              ) : ranked || inTrash ? (
                <SearchResults notes={notes} highlights={page.highlights} trash={inTrash} fromList={fromList} />
              ) : (
                <NoteList notes={notes} limits={limits} layout={layout} fromList={fromList} />
              )}
              {page.nextCursor ? (
                <nav aria-label="More notes" className="flex justify-center pt-2">
                  <Link
                    className="btn-secondary"
                    href={`/?${new URLSearchParams({
                      ...(q ? { q } : {}),
                      ...(query.sort !== "newest" ? { sort: query.sort } : {}),
                      cursor: page.nextCursor,
                    })}`}
                  >
                    {ranked ? "More results" : "Older notes"}
                  </Link>
                </nav>
              ) : null}
            </section>
          </main>
        </div>
      </DraftScope>
    </>
  );
}

function TrashHeader({ count }: { count: number }) {
  const days = config().TRASH_RETENTION_DAYS;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-stone-600 dark:text-stone-400">
      <p>Notes in the trash are deleted for good, with their files, after {days} days.</p>
      {count > 0 ? (
        <form action={emptyTrashAction}>
          <button type="submit" className="btn-danger">
            Empty trash
          </button>
        </form>
      ) : null}
    </div>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Text or a link shared from another app (the web app manifest's share_target: GET /?share-title=&share-text=
 * &share-url=), handed to the composer as the start of a new note.
 */
function sharedNote(params: Record<string, string | string[] | undefined>): SharedNote | undefined {
  const title = first(params["share-title"])?.trim() ?? "";
  const text = first(params["share-text"])?.trim() ?? "";
  const url = first(params["share-url"])?.trim() ?? "";
  if (!title && !text && !url) return undefined;
  const description = [text, url && !text.includes(url) ? url : ""].filter(Boolean).join("\n\n");
  const firstLine = (text || url).split("\n")[0]!;
  return { title: (title || firstLine).slice(0, TITLE_MAX), description: description.slice(0, DESCRIPTION_MAX) };
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
