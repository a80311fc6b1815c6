import Link from "next/link";
import { deleteForeverAction, restoreNoteAction } from "@/app/organise-actions";
import { Highlighted } from "@/components/notes/highlighted";
import { NoteOrganiseMenu } from "@/components/notes/note-organise-menu";
import type { Highlight } from "@/lib/notes/list";
import { noteHref } from "@/lib/notes/list-link";
import type { NoteView } from "@/lib/notes/view";

/**
 * Search results (highlighted title and excerpt, best match first) or the trash (restore, delete for good):
 * compact rows rather than full cards, since a result is for finding a note and opening it.
 */
export function SearchResults({
  notes,
  highlights,
  trash = false,
  fromList,
}: {
  notes: NoteView[];
  highlights: Map<number, Highlight>;
  trash?: boolean;
  /** The search these results belong to, which the note's page goes back to. */
  fromList?: string;
}) {
  return (
    <ul className="space-y-3" aria-label={trash ? "Notes in the trash" : "Search results"}>
      {notes.map((note) => {
        const hl = highlights.get(note.id);
        return (
          <li key={note.id}>
            <article aria-labelledby={`result-${note.id}`} className="card px-4 py-3">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <h2 id={`result-${note.id}`} className="min-w-0 font-semibold [overflow-wrap:anywhere]">
                  {trash ? (
                    note.title
                  ) : (
                    <Link href={noteHref(note.id, fromList)} className="hover:underline">
                      {hl ? <Highlighted text={hl.title} /> : note.title}
                    </Link>
                  )}
                </h2>
                {trash ? <TrashActions note={note} /> : <NoteOrganiseMenu note={note} />}
              </div>
              {hl?.snippet ? (
                <p className="mt-1 text-sm text-stone-700 [overflow-wrap:anywhere] dark:text-stone-300">
                  <Highlighted text={hl.snippet} />
                </p>
              ) : null}
              <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-stone-600 dark:text-stone-400">
                <time dateTime={note.createdAt}>{note.createdLabel}</time>
                {note.file ? <span>{note.file.name}</span> : null}
                {note.tags.map((t) => (
                  <span key={t}>#{t}</span>
                ))}
                {note.pinned ? <span>Pinned</span> : null}
                {note.archived ? <span>Archived</span> : null}
              </p>
            </article>
          </li>
        );
      })}
    </ul>
  );
}

function TrashActions({ note }: { note: NoteView }) {
  return (
    <div className="flex gap-1">
      <form action={restoreNoteAction}>
        <input type="hidden" name="id" value={note.id} />
        <button type="submit" className="btn-secondary px-2.5">
          Restore<span className="sr-only"> {note.title}</span>
        </button>
      </form>
      <form action={deleteForeverAction}>
        <input type="hidden" name="id" value={note.id} />
        <button type="submit" className="btn-ghost px-2.5 text-red-700 dark:text-red-400">
          Delete forever<span className="sr-only"> {note.title}</span>
        </button>
      </form>
    </div>
  );
}
