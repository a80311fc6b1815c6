import "server-only";
import { badRequest, staleVersion } from "@/lib/errors";
import { setChecklistItem } from "@/lib/notes/checklist";
import { getNote, updateText } from "@/lib/notes/service";

/**
 * Ticks (or unticks) the checklist item on `line` of a note's description, but only if the note is still the
 * version the person saw (`seenUpdatedAt`), with the same version check as every other edit, so a concurrent
 * edit in another tab or device is never overwritten. Returns the note's new version.
 */
export async function setNoteChecklistItem(
  userId: string,
  id: number,
  change: { line: number; checked: boolean; seenUpdatedAt: Date },
): Promise<{ updatedAt: Date }> {
  const note = await getNote(userId, id);
  if (note.updatedAt.getTime() !== change.seenUpdatedAt.getTime()) throw staleVersion();
  const description = setChecklistItem(note.description, change.line, change.checked);
  if (description === null) throw badRequest("That checklist item is no longer in this note. Reload the page.");
  const saved = await updateText(userId, id, { title: note.title, description }, [change.seenUpdatedAt]);
  return { updatedAt: saved.updatedAt };
}
