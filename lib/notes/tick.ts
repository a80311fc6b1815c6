import "server-only";
import { z } from "zod";
import { badRequest, staleVersion } from "@/lib/errors";
import { setChecklistItem } from "@/lib/notes/checklist";
import { noteIdSchema, noteVersionSchema } from "@/lib/notes/schema";
import { getNote, updateText } from "@/lib/notes/service";

/** Ticking one checklist item from the notes list: which note, which line, and the version the page showed. */
export const checklistTickSchema = z.object({
  id: noteIdSchema,
  line: z.number().int().positive(),
  checked: z.boolean(),
  seenUpdatedAt: noteVersionSchema,
});
export type ChecklistTick = z.output<typeof checklistTickSchema>;

/**
 * Ticks (or unticks) the checklist item on `line` of a note's description, but only if the note is still the
 * version the person saw (`seenUpdatedAt`), with the same version check as every other edit, so a concurrent
 * edit in another tab or device is never overwritten. Returns the note's new version.
 */
export async function setNoteChecklistItem(
  userId: string,
  id: number,
  change: Omit<ChecklistTick, "id">,
): Promise<{ updatedAt: Date }> {
  const note = await getNote(userId, id);
  if (note.updatedAt.getTime() !== change.seenUpdatedAt.getTime()) throw staleVersion();
  const description = setChecklistItem(note.description, change.line, change.checked);
  if (description === null) throw badRequest("That checklist item is no longer in this note. Reload the page.");
  const saved = await updateText(userId, id, { title: note.title, description }, [change.seenUpdatedAt]);
  return { updatedAt: saved.updatedAt };
}
