import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { openSharedNote } from "@/lib/shares/service";
import { toSharedNoteView } from "@/lib/shares/view";

// One lookup (and one counted view) for the page and its metadata.
const findShared = cache(openSharedNote);

/**
 * A note shared by link: public, read-only, rendered on the server. Every link that does not work (unknown,
 * revoked, expired, note in the trash) is the same 404. Its headers (no-store, no-referrer, X-Robots-Tag) come
 * from proxy.ts (lib/shares/page-headers.ts).
 */
export async function generateMetadata({ params }: PageProps<"/s/[token]">): Promise<Metadata> {
  const shared = await findShared((await params).token);
  const robots = shared?.indexable ? { index: true, follow: false } : { index: false, follow: false };
  return {
    title: shared ? `${shared.note.title} · CloudNotes` : "Not found · CloudNotes",
    robots,
    referrer: "no-referrer",
  };
}

export default async function SharedNotePage({ params }: PageProps<"/s/[token]">) {
  const shared = await findShared((await params).token);
  if (!shared) notFound();
  const note = await toSharedNoteView(shared.note);
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-6 sm:py-8">
      <article className="space-y-4 rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900">
        <header className="space-y-1">
          <h1 className="text-2xl font-semibold break-words">{note.title}</h1>
          <p className="text-sm text-stone-500 dark:text-stone-400">
            Updated <time dateTime={note.updatedAt}>{note.updatedLabel}</time>
          </p>
        </header>
        <div className="markdown" dangerouslySetInnerHTML={{ __html: note.html }} />
        {note.tags.length > 0 ? (
          <ul aria-label="Tags" className="flex flex-wrap gap-2">
            {note.tags.map((tag) => (
              <li key={tag} className="rounded-full bg-stone-100 px-2 py-0.5 text-sm dark:bg-stone-800">
                #{tag}
              </li>
            ))}
          </ul>
        ) : null}
        {note.file ? (
          <section aria-label="Attachment" className="space-y-2">
            {note.file.isImage ? (
              // eslint-disable-next-line @next/next/no-img-element -- a presigned S3 URL, not an optimisable asset
              <img src={note.file.url} alt={note.file.name} className="max-h-96 rounded-md" />
            ) : null}
            <p>
              <a
                href={note.file.url}
                rel="noreferrer"
                className="font-medium text-brand-700 underline dark:text-brand-300"
              >
                {note.file.name}
              </a>{" "}
              <a href={note.file.downloadUrl} rel="noreferrer" className="text-sm underline">
                Download
              </a>
            </p>
          </section>
        ) : null}
      </article>
      <p className="text-center text-sm text-stone-500 dark:text-stone-400">Shared read-only with CloudNotes</p>
    </main>
  );
}
