import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppHeader } from "@/components/app-header";
import { RelativeTime } from "@/components/notes/relative-time";
import { TextDiff } from "@/components/notes/text-diff";
import { requireUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { textDiff } from "@/lib/notes/diff";
import { revisionFileUrl } from "@/lib/notes/revision-rest";
import type { Revision } from "@/lib/notes/revision-schema";
import { getRevision, listRevisions, revisionBefore } from "@/lib/notes/revisions";
import { noteIdFromPath } from "@/lib/notes/schema";
import { getNote } from "@/lib/notes/service";
import { restoreRevisionAction } from "./actions";

export const metadata: Metadata = { title: "History · CloudNotes" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (r: Revision) => <RelativeTime iso={r.createdAt.toISOString()} label={dateFormat.format(r.createdAt)} />;

/** Null when the value is not a revision number a page would link to. */
function numberParam(value: string | string[] | undefined): number | null {
  return typeof value === "string" && /^\d{1,10}$/.test(value) ? Number(value) : null;
}

const orMissing = async <T,>(step: Promise<T>): Promise<T | null> => {
  try {
    return await step;
  } catch (error) {
    // A forged cursor or number in the address is a page that does not exist.
    const kind = asDomainError(error)?.kind;
    if (kind === "not_found" || kind === "validation") return null;
    throw error;
  }
};

/**
 * A note's history: its revisions (newest first) and, for the one chosen, what it changed (against the revision
 * before it, or against the note as it is now), with "Restore this version".
 */
export default async function HistoryPage({ params, searchParams }: PageProps<"/n/[id]/history">) {
  const { id: segment } = await params;
  const user = await requireUser(`/n/${segment}/history`);
  const id = noteIdFromPath(segment);
  const note = id === null ? null : await orMissing(getNote(user.id, id));
  if (id === null || !note) notFound();
  const query = await searchParams;
  const cursor = typeof query.cursor === "string" ? query.cursor : undefined;
  const page = await orMissing(listRevisions(user.id, id, { limit: 100, cursor }));
  if (!page) notFound();
  const latest = cursor ? null : (page.revisions[0] ?? null);
  const chosenNumber = numberParam(query.r) ?? latest?.number ?? page.revisions[0]?.number ?? null;
  const chosen = chosenNumber === null ? null : await orMissing(getRevision(user.id, id, chosenNumber));
  const vsCurrent = query.vs === "current";
  const base: Pick<Revision, "title" | "description" | "fileName"> | null = chosen
    ? vsCurrent
      ? { title: note.title, description: note.description, fileName: note.fileName }
      : await revisionBefore(user.id, id, chosen.number)
    : null;
  const fileUrl = chosen ? await revisionFileUrl(chosen) : null;
  const isCurrent = chosen !== null && latest !== null && chosen.number === latest.number;
  const link = (r: number, vs?: string) => `/n/${id}/history?r=${r}${vs ? `&vs=${vs}` : ""}`;

  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-5xl space-y-4 px-4 py-6 sm:py-8">
        <Link href={`/n/${id}`} className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
          ← Back to the note
        </Link>
        <h1 className="text-2xl font-semibold">History of “{note.title}”</h1>
        {query.stale ? (
          <p role="alert" className="field-error">
            The note was changed since this page showed it: nothing was restored. Look again and retry.
          </p>
        ) : null}
        <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
          <nav aria-label="Versions">
            <ol className="space-y-1">
              {page.revisions.map((r) => (
                <li key={r.number}>
                  <Link
                    href={link(r.number)}
                    aria-current={r.number === chosen?.number ? "page" : undefined}
                    className="block rounded px-2 py-1 hover:bg-stone-100 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold dark:hover:bg-stone-900 dark:aria-[current=page]:bg-stone-800"
                  >
                    <span className="block">
                      Version {r.number}
                      {latest?.number === r.number ? " (current)" : ""} · {when(r)}
                    </span>
                    <span className="block truncate text-sm text-stone-600 dark:text-stone-400">{r.title}</span>
                    {r.fileName ? (
                      <span className="block truncate text-xs text-stone-500">File: {r.fileName}</span>
                    ) : null}
                  </Link>
                </li>
              ))}
            </ol>
            {page.nextCursor ? (
              <Link
                href={`/n/${id}/history?cursor=${encodeURIComponent(page.nextCursor)}`}
                className="mt-2 block text-sm text-brand-700 hover:underline dark:text-brand-300"
              >
                Older versions →
              </Link>
            ) : null}
          </nav>
          {chosen ? (
            <section aria-labelledby="chosen" className="min-w-0 space-y-4">
              <h2 id="chosen" className="text-xl font-semibold">
                Version {chosen.number} · {when(chosen)}
              </h2>
              <p className="text-sm">
                {vsCurrent ? (
                  <>
                    Changes from this version to the current note.{" "}
                    <Link href={link(chosen.number)} className="text-brand-700 underline dark:text-brand-300">
                      Compare with the version before it
                    </Link>
                  </>
                ) : (
                  <>
                    {base ? "Changes from the version before it." : "The first version kept."}{" "}
                    <Link
                      href={link(chosen.number, "current")}
                      className="text-brand-700 underline dark:text-brand-300"
                    >
                      Compare with the current note
                    </Link>
                  </>
                )}
              </p>
              {/* Against the current note the arrow runs from this version to now. */}
              <h3 className="font-semibold">Title</h3>
              <TextDiff
                label="Title changes"
                parts={vsCurrent ? textDiff(chosen.title, note.title) : textDiff(base?.title ?? "", chosen.title)}
              />
              <h3 className="font-semibold">Description</h3>
              <TextDiff
                label="Description changes"
                parts={
                  vsCurrent
                    ? textDiff(chosen.description, note.description)
                    : textDiff(base?.description ?? "", chosen.description)
                }
              />
              <h3 className="font-semibold">File</h3>
              <p className="text-sm">
                {chosen.fileName ?? "No file"}
                {base && base.fileName !== chosen.fileName ? (
                  <span className="text-stone-600 dark:text-stone-400">
                    {" "}
                    ({vsCurrent ? "now" : "before"}: {base.fileName ?? "no file"})
                  </span>
                ) : null}
                {fileUrl ? (
                  <>
                    {" "}
                    <a href={fileUrl} className="text-brand-700 underline dark:text-brand-300">
                      Download {chosen.fileName}
                    </a>
                  </>
                ) : null}
              </p>
              {isCurrent ? (
                <p className="text-sm text-stone-600 dark:text-stone-400">This is the note as it is now.</p>
              ) : (
                <form action={restoreRevisionAction}>
                  <input type="hidden" name="id" value={id} />
                  <input type="hidden" name="number" value={chosen.number} />
                  <input type="hidden" name="baseUpdatedAt" value={note.updatedAt.toISOString()} />
                  <button type="submit" className="btn btn-primary">
                    Restore this version
                  </button>
                </form>
              )}
            </section>
          ) : (
            <p>That version is no longer kept.</p>
          )}
        </div>
      </main>
    </>
  );
}
