import { setArchivedAction, setPinnedAction, trashNoteAction } from "@/app/organise-actions";

/**
 * Pin, archive and move to the trash: three small forms (server actions), so they work without JavaScript and
 * add no client code. The trash keeps the note and its file until it is emptied or its time is over.
 */
export function NoteOrganiseMenu({
  note,
  from = "list",
}: {
  note: { id: number; title: string; pinned: boolean; archived: boolean };
  from?: "list" | "note";
}) {
  const label = <span className="sr-only"> {note.title}</span>;
  return (
    <div className="flex shrink-0 flex-wrap gap-1" role="group" aria-label={`Organise ${note.title}`}>
      <form action={setPinnedAction}>
        <input type="hidden" name="id" value={note.id} />
        <input type="hidden" name="pinned" value={String(!note.pinned)} />
        <button type="submit" className="btn-ghost px-2.5" aria-pressed={note.pinned}>
          {note.pinned ? "Unpin" : "Pin"}
          {label}
        </button>
      </form>
      <form action={setArchivedAction}>
        <input type="hidden" name="id" value={note.id} />
        <input type="hidden" name="archived" value={String(!note.archived)} />
        <button type="submit" className="btn-ghost px-2.5">
          {note.archived ? "Unarchive" : "Archive"}
          {label}
        </button>
      </form>
      <form action={trashNoteAction}>
        <input type="hidden" name="id" value={note.id} />
        <input type="hidden" name="from" value={from} />
        <button type="submit" className="btn-ghost px-2.5">
          Move to trash{label}
        </button>
      </form>
    </div>
  );
}
